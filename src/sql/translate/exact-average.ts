import { L, SqlColumn, SqlFunction, SqlLiteral, type SqlExpression, type SqlOrderByExpression, type SqlQuery } from 'druid-query-toolkit';
import type { OrderResult, OutputItem } from './order.js';
import { exactOutputs } from './numeric-flow.js';
import { refuse, type State } from './state.js';
import type { Typed } from './typing.js';

/**
 * avg() and sum() of integers, exact. A sum of bigint as a result column becomes the split sum of
 * wide-sum.ts (splitSum), exact past 2^63, and is reported numeric (SPLIT_SUM).
 *
 * avg() of integers, exact. PostgreSQL's avg(int2/int4/int8) is numeric: the exact sum divided by
 * the count with numeric division's display scale (docs/sql-compatibility.md "Result types").
 * Druid averages doubles, so where avg is a result column of the statement the column becomes the
 * text `sum/count` of the exact integer sum and the count, and the gateway divides
 * (src/types/quotient.ts). An outermost statement sorted by such a column is sorted by the gateway,
 * which compares the numerics they print, as PostgreSQL compares avg()'s numeric values
 * (src/exec/sort/compare.ts): Druid's double average ties or misorders averages beyond 2^53.
 * Inside expressions, subqueries and HAVING it is exact in the forms of exact-ops.ts and
 * exact-compare.ts, or refused (numeric-flow.ts).
 */

/** The reported type of an output sent as `sum/count` text. */
export const QUOTIENT = { name: 'numeric', quotient: true } as const;
/** The reported type of an output sent as a split sum `h:l:c` (wide-sum.ts). */
export const SPLIT_SUM = { name: 'numeric', splitSum: true } as const;

/** The exact text form of a value with one (an average or sum of integers) and its reported type. */
function exactText(value: Typed | undefined): { ex: SqlExpression; result: typeof QUOTIENT | typeof SPLIT_SUM } | undefined {
  if (value?.quotient !== undefined) return { ex: value.quotient, result: QUOTIENT };
  return value?.splitSum === undefined ? undefined : { ex: value.splitSum, result: SPLIT_SUM };
}

/**
 * CONCAT(CAST(sum AS VARCHAR), '/', CAST(count AS VARCHAR)), or '*factor/' for a sum times a
 * numeric constant's text (src/types/quotient.ts): NULL when the sum is NULL (no input).
 */
export function quotientText(sum: SqlExpression, count: SqlExpression, factor?: string): SqlExpression {
  return SqlFunction.simple('CONCAT', [SqlFunction.cast(sum, 'VARCHAR'), L(factor === undefined ? '/' : `*${factor}/`), SqlFunction.cast(count, 'VARCHAR')]);
}

/** True when one of the ORDER BY `keys` may refer to output `index` (its ordinal, name or value). */
function sortedBy(keys: readonly SqlOrderByExpression[], index: number, name: string, value: SqlExpression): boolean {
  const printed = value.toString();
  return keys.some((key) => {
    let found = false;
    key.expression.walk((node) => {
      if (node instanceof SqlLiteral && node.value === index + 1) found = true;
      if (node instanceof SqlColumn && node.getName() === name) found = true;
      if (node.toString() === printed) found = true;
      return node;
    });
    return found;
  });
}

/**
 * The statement's outputs with each average of integers that no ORDER BY key refers to selected as
 * `sum/count` text, reported numeric (QUOTIENT). `query` selects `outputs` one expression each;
 * `resolve` replaces the statement's variance shift references (stats-shift.ts). An exact numeric
 * left as Druid's double (DISTINCT, a set operation, a sort in Druid) is refused (numeric-flow.ts).
 */
export function exactAverages(state: State, query: SqlQuery, outputs: OutputItem[], resolve: (ex: SqlExpression) => SqlExpression, location: unknown): { query: SqlQuery; outputs: OutputItem[] } {
  if (query.decorator !== undefined || query.unionQuery !== undefined) return { query, outputs: exactOutputs(state, outputs, location) };
  const list = [...query.getSelectExpressionsArray()];
  if (list.length !== outputs.length) return { query, outputs: exactOutputs(state, outputs, location) };
  let changed = false;
  const next = outputs.map((o, i) => {
    const exact = exactText(o.value);
    const alias = o.druidName ?? o.name;
    if (o.value === undefined || exact === undefined || sortedBy(query.getOrderByExpressions(), i, alias, resolve(o.value.ex))) return o;
    changed = true;
    const ex = resolve(exact.ex);
    list[i] = ex.as(alias);
    return { ...o, printed: ex.as(alias), columns: o.columns.map((c) => ({ ...c, result: exact.result })) };
  });
  exactOutputs(state, next, location);
  return changed ? { query: query.changeSelectExpressions(list), outputs: next } : { query, outputs };
}

/**
 * True when the gateway sorts the statement: an ORDER BY key refers to an output that is an average,
 * variance or standard deviation of integers, or is such a value itself, and the gateway can sort
 * (`gateway`: an outermost statement with constant LIMIT/OFFSET); it sorts by their exact values
 * (src/exec/sort/compare.ts). A key that is no output and such a value is refused where Druid
 * would sort by its double. A sum of bigint sorts in Druid by its guarded LONG sum, exact or
 * failing before the first row.
 */
export function sortsByAverage(state: State, order: OrderResult, outputs: readonly OutputItem[], gateway: boolean, location: unknown): boolean {
  const byOutput = outputs.some((o, i) => o.value?.quotient !== undefined && sortedBy(order.keys, i, o.druidName ?? o.name, o.value.ex));
  if (order.heldAsDouble && !gateway) {
    throw refuse(state, 'ORDER BY a numeric average, variance or quotient of integers here', location, 'Druid would sort by its double precision value; sort the outermost query with a constant LIMIT, or ORDER BY the value cast to double precision.');
  }
  return gateway && (byOutput || order.heldAsDouble);
}
