import { SqlColumn, type SqlExpression } from 'druid-query-toolkit';
import { bodyIf, names, nodeBody, str } from '../ast.js';
import type { GatewaySort } from '../types.js';
import { expr, type Env } from './expr.js';
import type { OutputItem } from './order.js';
import { ordinalOf } from './select.js';
import { refuse } from './state.js';
import { millisValue } from './timestamp-output.js';

/** Prefix of the hidden trailing columns that carry sort keys not in the SELECT list. */
const HIDDEN_PREFIX = '__polaris_sort_';

/** The sort for the gateway and the hidden key expressions to append to the SELECT list. */
export interface PlannedSort {
  sort: Omit<GatewaySort, 'limit' | 'offset'>;
  hidden: SqlExpression[];
}

/**
 * ORDER BY that Druid cannot run (a scan ordered by a non-time column), planned for the gateway:
 * each key is an output column (ordinal, output name, an expression equal to a SELECT item, or a
 * column inside `*`) or a hidden trailing column; PostgreSQL's NULL placement per key
 * (https://www.postgresql.org/docs/current/queries-order.html).
 */
export function planGatewaySort(env: Env, items: unknown[], outputs: OutputItem[]): PlannedSort {
  const starts: number[] = [];
  let width = 0;
  for (const o of outputs) {
    starts.push(width);
    width += o.columns.length;
  }
  const hidden: SqlExpression[] = [];
  const keys = items.map((item) => {
    const sort = nodeBody(item);
    if (str(sort.sortby_dir) === 'SORTBY_USING') throw refuse(env.state, 'ORDER BY ... USING', sort.location);
    const descending = str(sort.sortby_dir) === 'SORTBY_DESC';
    const nulls = str(sort.sortby_nulls);
    const nullsFirst = nulls === 'SORTBY_NULLS_FIRST' || (nulls !== 'SORTBY_NULLS_LAST' && descending);
    const found = outputColumn(env, sort.node, outputs, starts);
    const column = found ?? width + hidden.length;
    const result = found === undefined ? undefined : outputs.flatMap((o) => o.columns)[found]?.result;
    let quotient = result?.quotient === true || result?.splitSum === true;
    if (found === undefined) {
      const key = expr(env, sort.node);
      // An average or sum of integers sorts by its exact text (exact-average.ts).
      const exact = key.quotient ?? key.splitSum;
      quotient = exact !== undefined;
      hidden.push((exact ?? millisValue(key.ex, key.type)).as(`${HIDDEN_PREFIX}${hidden.length + 1}`));
    }
    return { column, descending, nullsFirst, ...(quotient ? { quotient: true as const } : {}) };
  });
  return { sort: { keys, hiddenColumns: hidden.length }, hidden };
}

function outputColumn(env: Env, node: unknown, outputs: OutputItem[], starts: number[]): number | undefined {
  const ordinal = ordinalOf(node);
  if (ordinal !== undefined) {
    // PostgreSQL numbers the expanded SELECT list (`*` counts its columns).
    const width = outputs.reduce((n, o) => n + o.columns.length, 0);
    return ordinal >= 1 && ordinal <= width ? ordinal - 1 : undefined;
  }
  const columnRef = bodyIf(node, 'ColumnRef');
  const fields = names(columnRef?.fields);
  if (columnRef !== undefined && fields.length === 1) {
    const index = outputs.findIndex((o) => o.name === fields[0] && o.value !== undefined);
    if (index >= 0) return starts[index];
  }
  const printed = expr(env, node).ex;
  for (const [i, o] of outputs.entries()) {
    const start = starts[i] ?? 0;
    if (o.value !== undefined && o.value.ex.toString() === printed.toString()) return start;
    if (o.value === undefined && printed instanceof SqlColumn && printed.getTableName() === undefined) {
      const at = o.columns.findIndex((c) => c.name === printed.getName());
      if (at >= 0) return start + at;
    }
  }
  return undefined;
}
