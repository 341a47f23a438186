import { SqlColumn, SqlOrderByExpression, type SqlExpression } from 'druid-query-toolkit';
import { bodyIf, names, nodeBody, str, type AstBody } from '../ast.js';
import type { ScopeColumn } from './names.js';
import { expr, type Env } from './expr.js';
import { ordinalOf, outputReference } from './select.js';
import { refuse } from './state.js';
import { operand, Prec, type Typed } from './typing.js';

/** One SELECT-list item as printed, with its PostgreSQL output name (`*` has no value). */
export interface OutputItem {
  printed: SqlExpression;
  value: Typed | undefined;
  name: string;
  /** The Druid alias when it differs from `name` (see uniqueNames in select.ts). */
  druidName?: string;
  columns: ScopeColumn[];
}

/**
 * ORDER BY. PostgreSQL sorts NULLs last for ASC and first for DESC unless NULLS FIRST/LAST says
 * otherwise (https://www.postgresql.org/docs/current/queries-order.html); Druid sorts NULL as the
 * smallest value. When the two differ and the key can be NULL, a leading `(key IS NULL)` key
 * puts the NULLs where PostgreSQL would.
 */
export function orderBy(env: Env, items: unknown[], outputs: OutputItem[]): SqlOrderByExpression[] {
  return items.flatMap((item) => {
    const sort = nodeBody(item);
    const { key, value } = sortKey(env, sort.node, outputs);
    return sortKeys(env, sort, key, value);
  });
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
  if (value.nullable && wantNullsFirst !== druidNullsFirst) {
    const isNull = operand(value.ex, Prec.comparison, true).isNull().ensureParens();
    keys.unshift(SqlOrderByExpression.create(isNull, wantNullsFirst ? 'DESC' : 'ASC'));
  }
  return keys;
}

/** The printed key (ordinal for output references) and the value it stands for. */
function sortKey(env: Env, node: unknown, outputs: OutputItem[]): { key: SqlExpression; value: Typed } {
  const ordinal = ordinalOf(node);
  if (ordinal !== undefined) {
    return outputKey(env, ordinal, outputs, node);
  }
  const columnRef = bodyIf(node, 'ColumnRef');
  const fields = names(columnRef?.fields);
  if (columnRef !== undefined && fields.length === 1) {
    // A bare name refers to an output column first (PostgreSQL's SQL-92 rule), then to input.
    const index = outputs.findIndex((o) => o.name === fields[0] && o.value !== undefined);
    if (index >= 0) return outputKey(env, index + 1, outputs, node);
  }
  const value = expr(env, node);
  return { key: value.ex, value };
}

/** An output column as sort key: the column itself when selected unaliased, else its ordinal. */
function outputKey(env: Env, ordinal: number, outputs: OutputItem[], node: unknown): { key: SqlExpression; value: Typed } {
  const reference = outputReference(env, ordinal, outputs, node, 'ORDER BY');
  const output = outputs[ordinal - 1];
  const value = output?.value;
  if (output === undefined || value === undefined) throw refuse(env.state, 'ORDER BY position with * in the SELECT list', nodeBody(node).location);
  return { key: output.printed instanceof SqlColumn ? output.printed : reference, value };
}
