import { C, L, SqlColumn, SqlOrderByExpression, type SqlExpression } from 'druid-query-toolkit';
import { bodyIf, names, nodeBody, str, type AstBody } from '../ast.js';
import type { ScopeColumn } from './names.js';
import { expr, type Env } from './expr.js';
import { ordinalOf } from './select.js';
import { heldAsDouble } from './numeric-flow.js';
import { failAt, refuse } from './state.js';
import { operand, Prec, type Typed } from './typing.js';

/** One SELECT-list item as printed, with its PostgreSQL output name (`*` has no value). */
export interface OutputItem {
  printed: SqlExpression;
  value: Typed | undefined;
  name: string;
  /** The Druid alias when it differs from `name` (see uniqueNames in select.ts). */
  druidName?: string;
  columns: ScopeColumn[];
  /** For `*`: a reference to each column it stands for. */
  starRefs?: SqlExpression[];
}

/** Aliases of sort keys that are no output, in the inner query of the wrapped form. */
const HIDDEN_KEY_PREFIX = '__polaris_key_sort_';

/** How ORDER BY keys are printed (see orderBy). */
export interface OrderOptions {
  /** Every key can be NULL (grouping sets: rolled-up rows have NULL in grouped columns). */
  nullable?: boolean;
  /** Keys name output columns, for an outer `SELECT * FROM (query) ORDER BY ...`. */
  wrapped?: boolean;
}

/** Printed ORDER BY keys, and whether the wrapped form is needed and possible. */
export interface OrderResult {
  keys: SqlOrderByExpression[];
  /**
   * True when a NULL-placement key repeats an output expression and the keys can name columns of
   * the query (outputs, or hidden key columns when no output is `*`).
   */
  wrappable: boolean;
  /** `wrapped`: keys that are no output, as aliased expressions to append to the SELECT list. */
  hidden: SqlExpression[];
  /** True when some key is (or may be) text. */
  text: boolean;
  /** True when a key that is no output is an exact numeric Druid holds as a double (numeric-flow.ts). */
  heldAsDouble: boolean;
}

/**
 * ORDER BY. PostgreSQL sorts NULLs last for ASC and first for DESC unless NULLS FIRST/LAST says
 * otherwise (https://www.postgresql.org/docs/current/queries-order.html); Druid sorts NULL as the
 * smallest value. When the two differ and the key can be NULL, a leading `(key IS NULL)` key
 * puts the NULLs where PostgreSQL would. Repeating an output expression in that key fails in
 * Druid for some aggregates (an IN list inside CASE: "while converting CASE") and with DISTINCT;
 * `wrappable` tells the caller to sort an outer query by output names instead.
 */
export function orderBy(env: Env, items: unknown[], outputs: OutputItem[], options: OrderOptions = {}): OrderResult {
  let wrappable = true;
  let text = false;
  let repeats = false;
  let double = false;
  const hidden: SqlExpression[] = [];
  const star = outputs.some((o) => o.value === undefined);
  const keys = items.flatMap((item) => {
    const sort = nodeBody(item);
    const found = sortKey(env, sort.node, outputs, options.wrapped === true);
    const { output, inStar } = found;
    let { key, value } = found;
    if (inStar === true || (output === undefined && star)) wrappable = false;
    double ||= output === undefined && heldAsDouble(value);
    if (output === undefined && options.wrapped === true) {
      const name = `${HIDDEN_KEY_PREFIX}${hidden.length + 1}`;
      hidden.push(value.ex.as(name));
      key = C(name);
      value = { ...value, ex: key };
    }
    const typed = options.nullable === true ? { ...value, nullable: true } : value;
    text ||= value.type === undefined || value.type === 'VARCHAR' || value.type === 'OTHER';
    const printed = sortKeys(env, sort, key, typed);
    if (printed.length > 1 && output !== undefined && !(output.value?.ex instanceof SqlColumn)) repeats = true;
    return printed;
  });
  return { keys, wrappable: wrappable && repeats, hidden, text, heldAsDouble: double };
}

/** The Druid sort keys for one SortBy node, with PostgreSQL's NULL placement. */
export function sortKeys(env: Env, sort: AstBody, key: SqlExpression, value: Typed): SqlOrderByExpression[] {
  if (str(sort.sortby_dir) === 'SORTBY_USING') throw refuse(env.state, 'ORDER BY ... USING', sort.location);
  const descending = str(sort.sortby_dir) === 'SORTBY_DESC';
  const direction = descending ? 'DESC' : 'ASC';
  const nulls = str(sort.sortby_nulls);
  const wantNullsFirst = nulls === 'SORTBY_NULLS_FIRST' || (nulls !== 'SORTBY_NULLS_LAST' && descending);
  const druidNullsFirst = !descending;
  const keys = [SqlOrderByExpression.create(key, direction)];
  // With a LIMIT, Druid 33 puts NULL first in a descending groupBy too (`SELECT coupon FROM orders
  // GROUP BY 1 ORDER BY 1 DESC LIMIT 100`; docs/sql-compatibility.md): DESC NULLS LAST is explicit.
  if (value.nullable && (wantNullsFirst !== druidNullsFirst || descending)) {
    const isNull = operand(value.ex, Prec.comparison, true).isNull().ensureParens();
    keys.unshift(SqlOrderByExpression.create(isNull, wantNullsFirst ? 'DESC' : 'ASC'));
  }
  return keys;
}

/** The printed key (ordinal for output references), the value it stands for and its output. */
function sortKey(env: Env, node: unknown, outputs: OutputItem[], wrapped: boolean): { key: SqlExpression; value: Typed; output?: OutputItem; inStar?: boolean } {
  const ordinal = ordinalOf(node);
  if (ordinal !== undefined) {
    const at = atPosition(outputs, ordinal);
    if (at === undefined) throw failAt(env.state, '42P10', `ORDER BY position ${ordinal} is not in select list`, nodeBody(node).location);
    return 'star' in at ? { key: L(ordinal), value: at.star, inStar: true } : outputKey(at.index, ordinal, outputs, wrapped);
  }
  const columnRef = bodyIf(node, 'ColumnRef');
  const fields = names(columnRef?.fields);
  if (columnRef !== undefined && fields.length === 1) {
    // A bare name refers to an output column first (PostgreSQL's SQL-92 rule), then to input.
    const index = outputs.findIndex((o) => o.name === fields[0] && o.value !== undefined);
    if (index >= 0) return outputKey(index, positionOf(outputs, index), outputs, wrapped);
  }
  const value = expr(env, node);
  return { key: value.ex, value };
}

/**
 * Output `index` (at `position` of the expanded SELECT list) as sort key: the column itself when
 * selected unaliased, else its position; `wrapped`: its Druid output name, for an outer query.
 */
function outputKey(index: number, position: number, outputs: OutputItem[], wrapped: boolean): { key: SqlExpression; value: Typed; output: OutputItem } {
  const output = outputs[index] as OutputItem;
  const value = output.value as Typed;
  if (wrapped) {
    const column = C(output.druidName ?? output.name);
    return { key: column, value: { ...value, ex: column }, output };
  }
  return { key: output.printed instanceof SqlColumn ? output.printed : L(position), value, output };
}

/** 1-based position in the expanded SELECT list (`*` counts its columns) of output `index`. */
function positionOf(outputs: OutputItem[], index: number): number {
  return outputs.slice(0, index).reduce((n, o) => n + o.columns.length, 1);
}

/**
 * What 1-based `position` of the expanded SELECT list holds (PostgreSQL numbers the columns `*`
 * stands for): an output's index, or a column of a `*`; undefined when out of range.
 */
function atPosition(outputs: OutputItem[], position: number): { index: number } | { star: Typed } | undefined {
  let start = 1;
  for (const [index, o] of outputs.entries()) {
    const width = o.columns.length;
    if (position >= start && position < start + width) {
      if (o.value !== undefined) return { index };
      const column = o.columns[position - start];
      const ref = o.starRefs?.[position - start];
      return column === undefined || ref === undefined ? undefined : { star: { ex: ref, type: column.type, nullable: column.nullable } };
    }
    start += width;
  }
  return undefined;
}
