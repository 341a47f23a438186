import { C, SqlColumn, SqlFunction, SqlLiteral, SqlMulti, SqlOrderByExpression, T, type SqlExpression, type SqlQuery } from 'druid-query-toolkit';
import type { OutputItem } from './order.js';
import { refuse, type State } from './state.js';

/** Druid's time column: the only key a plain (non-aggregating) scan can be ordered by. */
const TIME_COLUMN = '__time';

/** Functions f with f(x) <= f(y) whenever x <= y, in their first argument. */
const MONOTONE_FIRST_ARG: ReadonlySet<string> = new Set([
  'TIMESTAMP_TO_MILLIS', 'MILLIS_TO_TIMESTAMP', 'TIME_FLOOR', 'FLOOR', 'CEIL', 'ROUND', 'CAST',
]);
/** DATE_TRUNC('unit', x) is monotone in its second argument. */
const MONOTONE_SECOND_ARG: ReadonlySet<string> = new Set(['DATE_TRUNC']);

/**
 * ORDER BY of a plain scan of one table. Druid sorts scans by __time only ("ordering a table by
 * non-time column" is refused), so every key must be __time or a non-decreasing function of it
 * (extract(epoch ...), date_trunc, floor(epoch / n) * n, ...): ordering by __time then yields an
 * order PostgreSQL also accepts (keys tie exactly where __time order is one valid order).
 * Undefined for other keys: the gateway sorts those (gateway-sort.ts).
 */
export function timeOrder(keys: SqlOrderByExpression[], outputs: OutputItem[], table: string): SqlOrderByExpression[] | undefined {
  const directions = new Set<string>();
  for (const key of keys) {
    const ex = resolveOrdinal(key.expression, outputs);
    if (ex === undefined || !isTimeMonotone(ex)) return undefined;
    directions.add(key.getEffectiveDirection());
  }
  if (directions.size > 1) return undefined;
  return [SqlOrderByExpression.create(timeColumn(outputs, table), [...directions][0] === 'DESC' ? 'DESC' : 'ASC')];
}

/**
 * "__time" in a Druid ORDER BY names an output column of that name first (Calcite), so an output
 * aliased __time (`CAST(__time AS DATE)` is named __time in PostgreSQL) would be ambiguous or
 * sort by the wrong value: the table's column is then qualified.
 */
function timeColumn(outputs: OutputItem[], table: string): SqlColumn {
  const aliased = outputs.some((o) => (o.druidName ?? o.name) === TIME_COLUMN && !(o.printed instanceof SqlColumn && o.printed.getName() === TIME_COLUMN));
  return aliased ? SqlColumn.create(TIME_COLUMN, T(table)) : C(TIME_COLUMN);
}

/** 0A000 for a scan ordered by other keys where the gateway cannot sort (subqueries, LIMIT $n). */
export function refuseScanOrder(state: State, location: unknown): Error {
  return refuse(
    state,
    'ORDER BY a column other than __time without GROUP BY',
    location,
    'Druid sorts plain scans by __time only and the gateway sorts only the outermost query with literal LIMIT/OFFSET: ORDER BY __time, or aggregate (GROUP BY / DISTINCT) before sorting.',
  );
}

/**
 * 0A000 for a time-filtered join ordered inside a subquery. Druid 33 runs a non-aggregating join
 * with ORDER BY as a windowOperator query that drops the __time filter of the left table
 * (docs/sql-compatibility.md, "Druid bugs guarded"); the gateway sorts only the outermost query.
 */
export function refuseJoinOrder(state: State, location: unknown): Error {
  return refuse(
    state,
    'ORDER BY on a join filtered by __time inside a subquery',
    location,
    'Druid loses the __time filter when it sorts a join; sort in the outermost query (with literal LIMIT/OFFSET) or aggregate before sorting.',
  );
}

/**
 * 0A000 for text ORDER BY keys of a query with window functions inside a subquery: Druid 33 sorts
 * that result by signed UTF-8 bytes (docs/sql-compatibility.md, "Druid bugs guarded"); the
 * gateway sorts only the outermost query.
 */
export function refuseWindowTextOrder(state: State, location: unknown): Error {
  return refuse(
    state,
    'ORDER BY text with window functions or COUNT(DISTINCT ..) inside a subquery',
    location,
    'Druid sorts text in those queries by bytes; sort in the outermost query (with literal LIMIT/OFFSET).',
  );
}

/** True when `ex` contains a window function call. */
/**
 * True when the query holds an exact COUNT(DISTINCT ..): Druid plans it as a join of grouping
 * queries and sorts the joined result with a windowOperator query, which compares text by signed
 * UTF-8 bytes like the sort after window functions (observed on Druid 33: `Fatima Müller` before
 * `Fatima Martinez` for `SELECT name, COUNT(DISTINCT customer_id), COUNT(*) FILTER (WHERE ..)
 * FROM customers GROUP BY 1 ORDER BY 3, 1`).
 */
export function countsDistinct(query: SqlQuery): boolean {
  let found = false;
  query.walk((node) => {
    if (node instanceof SqlFunction && node.decorator === 'DISTINCT' && node.getEffectiveFunctionName() === 'COUNT') found = true;
    return node;
  });
  return found;
}

export function hasWindow(ex: SqlExpression): boolean {
  let found = false;
  ex.walk((node) => {
    if (node instanceof SqlFunction && node.windowSpec !== undefined) found = true;
    return node;
  });
  return found;
}

/** True when `ex` refers to a column named __time (of any FROM item). */
export function mentionsTime(ex: SqlExpression | undefined): boolean {
  let found = false;
  ex?.walk((node) => {
    if (node instanceof SqlColumn && node.getName() === TIME_COLUMN) found = true;
    return node;
  });
  return found;
}

function resolveOrdinal(ex: SqlExpression, outputs: OutputItem[]): SqlExpression | undefined {
  if (ex instanceof SqlLiteral && typeof ex.value === 'number') return outputs[ex.value - 1]?.value?.ex;
  return ex;
}

/** True when `ex` is __time or a non-decreasing function of it. */
export function isTimeMonotone(ex: SqlExpression): boolean {
  if (ex instanceof SqlColumn) return ex.getName() === TIME_COLUMN;
  if (ex instanceof SqlFunction) {
    const name = ex.getEffectiveFunctionName().toUpperCase();
    if (ex.windowSpec !== undefined) return false;
    // A cast to text orders differently from the value.
    if (name === 'CAST' && ex.toString().endsWith('AS VARCHAR)')) return false;
    const argument = MONOTONE_FIRST_ARG.has(name) ? ex.getArg(0) : MONOTONE_SECOND_ARG.has(name) ? ex.getArg(1) : undefined;
    return argument !== undefined && isTimeMonotone(argument);
  }
  if (ex instanceof SqlMulti) {
    const [first, ...rest] = ex.getArgArray();
    if (first === undefined || !isTimeMonotone(first)) return false;
    switch (ex.op) {
      case '*':
      case '/':
        return rest.every((r) => r instanceof SqlLiteral && typeof r.value === 'number' && r.value > 0);
      case '+':
      case '-':
        return rest.every((r) => r instanceof SqlLiteral && typeof r.value === 'number');
      default:
        return false;
    }
  }
  return false;
}
