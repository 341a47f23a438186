import {
  C,
  SqlAlias,
  SqlTable,
  SqlLimitClause,
  SqlOffsetClause,
  SqlQuery,
  SqlWithClause,
  SqlWithPart,
  SqlLiteral,
  SqlStar,
  type SqlExpression,
} from 'druid-query-toolkit';
import { bodyIf, list, names, nodeBody, nodeType, num, str, type AstBody, type AstNode } from '../ast.js';
import { describeStatementTag } from '../tag.js';
import { figureColname } from './colname.js';
import { expr, requireBoolean, type Env } from './expr.js';
import { fromClause } from './from.js';
import { emptyInputTotal, hasEmptyGroupingSet } from './empty-total.js';
import { exactAverages, sortsByAverage } from './exact-average.js';
import { exactOutputs } from './numeric-flow.js';
import { refuseGroupingKeyOrder } from './grouping-order.js';
import { groupByClause, groupedItem } from './grouping.js';
import { Shifts } from './stats-shift.js';
import { planGatewaySort } from './gateway-sort.js';
import { levelCountsDistinct } from './count-distinct.js';
import { guardOuterFilter } from './outer-filter.js';
import { countsDistinct, hasWindow, mentionsTime, refuseJoinOrder, refuseScanOrder, refuseWindowTextOrder, timeOrder } from './scan-order.js';
import { hasTimestampOutput, millisNames, resultQuery } from './timestamp-output.js';
import { firstLocation, setOperation } from './setops.js';
import { qualifyHavingNames } from './having-names.js';
import type { Scope, ScopeColumn } from './names.js';
import type { GatewaySort } from '../types.js';
import type { Typed } from './typing.js';
import { orderBy, type OutputItem } from './order.js';
import { needsAlias, nullableOutput, renamedFlag, uniqueNames } from './outputs.js';
import { failAt, refuse, type State } from './state.js';

/** A translated SELECT and its output columns (for scopes of enclosing queries). */
export interface SelectResult {
  query: SqlQuery;
  columns: ScopeColumn[];
  /** True when some outputs carry a Druid alias other than their PostgreSQL name. */
  renamed?: boolean;
  /** ORDER BY/LIMIT/OFFSET left to the gateway (outermost plain scans ordered by other columns). */
  gatewaySort?: GatewaySort;
  /** The grand-total row over an empty input, for outermost grouping sets (empty-total.ts). */
  emptyTotal?: SqlQuery;
  /** An outermost set operation the gateway computes; `query` is its left branch (setops.ts). */
  setOperation?: { op: 'UNION' | 'INTERSECT' | 'EXCEPT'; all: boolean; right: SqlQuery };
}

export type SelectTranslator = (node: unknown, ctes: ReadonlyMap<string, ScopeColumn[]>) => SelectResult;

/**
 * Translates a SelectStmt node (plain SELECT, UNION [ALL], WITH). `outer` is the scope of the
 * enclosing query for a subquery in an expression (its columns are refused as correlated).
 * `output`: its rows are the statement's result (the outermost SELECT or a branch of an outermost
 * UNION ALL), so timestamps are selected as epoch milliseconds (timestamp-output.ts).
 */
export function selectStatement(state: State, node: unknown, ctes: ReadonlyMap<string, ScopeColumn[]>, outer?: Scope, top = false, output = top): SelectResult {
  const body = nodeBody(node);
  if (nodeType(node) !== 'SelectStmt') throw refuse(state, nodeType(node) ?? 'statement', body.location);
  const visible = new Map(ctes);
  const withParts = withClause(state, body.withClause as AstBody | undefined, visible, outer);
  const result = str(body.op) === 'SETOP_NONE'
    ? simpleSelect(state, body, visible, outer, top, output)
    : setOperation(state, body, (n) => selectStatement(state, n, visible, outer, false, output), top);
  const query = withParts.length === 0 ? result.query : result.query.changeWithClause(SqlWithClause.create(withParts));
  return { ...result, query };
}

function withClause(state: State, clause: AstBody | undefined, visible: Map<string, ScopeColumn[]>, outer: Scope | undefined): SqlWithPart[] {
  if (clause === undefined) return [];
  if (clause.recursive === true) throw refuse(state, 'WITH RECURSIVE', clause.location);
  return list(clause.ctes).map((c) => {
    const cte = nodeBody(c);
    if (cte.aliascolnames !== undefined) throw refuse(state, 'column names on a WITH query', cte.location);
    if (str(cte.ctematerialized) !== undefined && str(cte.ctematerialized) !== 'CTEMaterializeDefault') {
      throw refuse(state, 'MATERIALIZED in WITH', cte.location);
    }
    const name = str(cte.ctename) ?? '';
    const queryType = nodeType(cte.ctequery);
    if (queryType !== 'SelectStmt') {
      throw refuse(state, `${describeStatementTag(cte.ctequery as AstNode)} in WITH`, cte.location, 'polaris-pg is read-only: only SELECT runs, in WITH as elsewhere.');
    }
    const sub = selectStatement(state, cte.ctequery, visible, outer);
    visible.set(name, sub.columns);
    return SqlWithPart.simple(name, sub.query);
  });
}

function simpleSelect(state: State, body: AstBody, ctes: ReadonlyMap<string, ScopeColumn[]>, outer: Scope | undefined, top: boolean, output: boolean): SelectResult {
  rejectClauses(state, body);
  const from = fromClause(state, list(body.fromClause), ctes, (node, visible) => selectStatement(state, node, visible, outer), outer);
  const env: Env = { state, scope: from.scope, aggregates: { count: 0 }, shifts: new Shifts(), countsDistinct: levelCountsDistinct(body) };
  const shifts = env.shifts as Shifts;
  // PostgreSQL allows a select list of no columns (rows without columns); Druid's SQL has none.
  if (list(body.targetList).length === 0) {
    throw refuse(state, 'a SELECT list without columns', body.location, 'Select at least one column; SELECT count(*) counts the rows.');
  }
  let outputs = top ? targets(env, list(body.targetList)) : exactOutputs(state, targets(env, list(body.targetList)), body.location);
  let query = (from.first === undefined ? new SqlQuery({}) : SqlQuery.from(from.first)).changeSelectExpressions(outputs.map((o) => o.printed));
  for (const join of from.joins) query = query.addJoin(join);
  const distinct = list(body.distinctClause);
  if (distinct.length > 0) {
    if (distinct.some((d) => nodeType(d) !== undefined)) throw refuse(state, 'DISTINCT ON', firstLocation(distinct));
    query = query.changeDecorator('DISTINCT');
  }
  if (body.whereClause !== undefined) {
    query = query.changeWhereExpression(requireBoolean(env, expr(env, body.whereClause, 'BOOLEAN'), nodeBody(body.whereClause).location, 'WHERE').ex);
    guardOuterFilter(state, 'WHERE', body.whereClause, from.nullableSides);
  }
  const source = query;
  const groupClause = list(body.groupClause);
  const grouped: Typed[] = [];
  if (groupClause.length > 0) query = query.changeGroupByClause(groupByClause(env, groupClause, (g) => groupedItem(env, g, outputs, grouped, output)));
  // Rows of coarser grouping sets have NULL in the grouped columns, whatever their type.
  const groupingSets = groupClause.some((g) => nodeType(g) === 'GroupingSet');
  if (groupingSets) outputs = outputs.map(nullableOutput);
  // Druid 33 fails to plan it: "Aggregation [COUNT(DISTINCT $n)] is not supported" (docs/sql-compatibility.md, Refused).
  if (groupingSets && env.countsDistinct === true) throw refuse(state, 'count(DISTINCT ..) with grouping sets', body.location, 'Druid cannot count distinct values per grouping set exactly; run each grouping set as its own GROUP BY.');
  if (body.havingClause !== undefined) {
    const having = requireBoolean(env, expr(env, body.havingClause, 'BOOLEAN'), nodeBody(body.havingClause).location, 'HAVING').ex;
    query = query.changeHavingExpression(qualifyHavingNames(having, outputs, from.joins.length === 0 && from.scope.entries.length === 1 ? from.scope.entries[0]?.refName : undefined));
    guardOuterFilter(state, 'HAVING', body.havingClause, from.nullableSides);
  }
  if (shifts.used) {
    if (groupingSets) throw refuse(state, 'variance or standard deviation with grouping sets', body.location, 'Compute it with a plain GROUP BY.');
    query = shifts.apply(state, query, source, groupClause.length > 0 ? grouped.map((g) => g.ex) : undefined);
  }
  const grouping = query;
  const total = (hidden: SqlExpression[]): { emptyTotal?: SqlQuery } => {
    if (!top || !hasEmptyGroupingSet(groupClause)) return {};
    const result = resultQuery(grouping, outputs, env.scope, output);
    return { emptyTotal: emptyInputTotal(result.changeSelectExpressions([...result.getSelectExpressionsArray(), ...hidden]), grouped) };
  };
  const sort = list(body.sortClause);
  if (groupingSets) refuseGroupingKeyOrder(state, sort, list(body.targetList));
  // Druid applies LIMIT before it computes the coarser grouping sets: the gateway limits those.
  const limitedSets = groupingSets && (hasCount(body.limitCount) || hasCount(body.limitOffset));
  if (sort.length > 0 || limitedSets) {
    const aggregating = groupClause.length > 0 || distinct.length > 0 || (env.aggregates?.count ?? 0) > 0 || body.havingClause !== undefined;
    const plain = orderBy(env, sort, outputs, { nullable: groupingSets });
    // Sorting an outer query by output names avoids repeating output expressions (order.ts).
    // Druid sorts text by signed UTF-8 bytes where its final sort is a windowOperator query: after
    // window functions, with an exact COUNT(DISTINCT ..), and when the query is wrapped to sort.
    const windowText =
      plain.text && (outputs.some((o) => o.value !== undefined && hasWindow(o.value.ex)) || countsDistinct(query) || (aggregating && plain.wrappable));
    // An outermost sort by an exact average is the gateway's (exact-average.ts).
    const averageOrder = sortsByAverage(state, plain, outputs, top && literalCounts(body), body.location);
    const wrap = aggregating && plain.wrappable && !limitedSets && !windowText && !averageOrder;
    const wrapped = wrap ? orderBy(env, sort, outputs, { nullable: groupingSets, wrapped: true }) : undefined;
    const keys = (wrapped?.keys ?? plain.keys).map((k) => shifts.resolve(state, k, body.location));
    if (wrapped !== undefined) {
      const hidden = wrapped.hidden.map((h) => shifts.resolve(state, h, body.location));
      const inner = query.changeSelectExpressions([...query.getSelectExpressionsArray(), ...hidden]);
      const visible = output && hasTimestampOutput(outputs) ? millisNames(outputs) : hidden.length === 0 ? [SqlStar.PLAIN] : outputs.map((o) => C(o.druidName ?? o.name));
      query = SqlQuery.from(inner.ensureParens()).changeSelectExpressions(visible);
    }
    const base = from.first instanceof SqlAlias ? from.first.expression : from.first;
    const tableScan = from.joins.length === 0 && base instanceof SqlTable;
    const timeFilteredJoin = !aggregating && from.joins.length > 0 && mentionsTime(query.getWhereExpression());
    const ordered = limitedSets || windowText || averageOrder ? undefined : aggregating || (!tableScan && !timeFilteredJoin) ? keys : tableScan ? timeOrder(keys, outputs, from.scope.entries[0]?.refName ?? '') : undefined;
    if (ordered === undefined) {
      const location = sort.length > 0 ? nodeBody(nodeBody(sort[0]).node).location : nodeBody(body.limitCount ?? body.limitOffset).location;
      const refusal = (): Error =>
        limitedSets ? refuseSetsLimit(state, location) : windowText ? refuseWindowTextOrder(state, location) : timeFilteredJoin ? refuseJoinOrder(state, location) : refuseScanOrder(state, location);
      if (!top) throw refusal();
      ({ query, outputs } = exactAverages(state, query, outputs, (ex) => shifts.resolve(state, ex, body.location), body.location));
      const gatewaySort = gatewaySorted(env, body, sort, outputs, refusal);
      const hidden = gatewaySort.hidden.map((h) => shifts.resolve(state, h, body.location));
      const result = resultQuery(query, outputs, env.scope, output);
      query = result.changeSelectExpressions([...result.getSelectExpressionsArray(), ...hidden]);
      return { query, columns: outputs.flatMap((o) => o.columns), gatewaySort: gatewaySort.sort, ...renamedFlag(outputs), ...total(hidden) };
    }
    query = query.changeOrderByExpressions(ordered);
    // An outer query sorting by output names already selects timestamps as milliseconds.
    if (wrapped !== undefined) return { query: limitAndOffset(state, body, query), columns: exactOutputs(state, outputs, body.location).flatMap((o) => o.columns), ...renamedFlag(outputs), ...total([]) };
  }
  if (top) ({ query, outputs } = exactAverages(state, query, outputs, (ex) => shifts.resolve(state, ex, body.location), body.location));
  query = resultQuery(limitAndOffset(state, body, query), outputs, env.scope, output);
  return { query, columns: outputs.flatMap((o) => o.columns), ...renamedFlag(outputs), ...total([]) };
}

/** The gateway's ORDER BY/LIMIT/OFFSET for a scan Druid cannot order (literal LIMIT/OFFSET only). */
function gatewaySorted(env: Env, body: AstBody, sort: unknown[], outputs: OutputItem[], refusal: () => Error): { sort: GatewaySort; hidden: SqlExpression[] } {
  const limit = countValue(env.state, body.limitCount, 'LIMIT');
  const offset = countValue(env.state, body.limitOffset, 'OFFSET');
  const literal = (ex: SqlExpression | undefined): number | null | undefined => {
    if (ex === undefined) return null;
    return ex instanceof SqlLiteral && (typeof ex.value === 'number' || typeof ex.value === 'bigint') ? Number(ex.value) : undefined;
  };
  const [limitValue, offsetValue] = [literal(limit), literal(offset)];
  if (limitValue === undefined || offsetValue === undefined) throw refusal();
  const planned = planGatewaySort(env, sort, outputs);
  return { sort: { ...planned.sort, limit: limitValue, offset: offsetValue ?? 0 }, hidden: planned.hidden };
}

/** True when LIMIT and OFFSET are absent or constants (the gateway's sort needs their values). */
function literalCounts(body: AstBody): boolean {
  return [body.limitCount, body.limitOffset].every((n) => n === undefined || bodyIf(n, 'A_Const') !== undefined);
}

/** True for a LIMIT/OFFSET clause that limits (not absent, LIMIT ALL or LIMIT NULL). */
function hasCount(node: unknown): boolean {
  return node !== undefined && bodyIf(node, 'A_Const')?.isnull !== true;
}

/**
 * 0A000 for LIMIT/OFFSET with grouping sets where the gateway cannot apply it: Druid 33 pushes
 * the limit below the subtotals (docs/sql-compatibility.md, "Druid bugs guarded").
 */
function refuseSetsLimit(state: State, location: unknown): Error {
  return refuse(
    state,
    'LIMIT/OFFSET with ROLLUP, CUBE or GROUPING SETS inside a subquery or with a parameter',
    location,
    'Druid limits before it computes subtotals; put the LIMIT with a literal count on the outermost query.',
  );
}

function rejectClauses(state: State, body: AstBody): void {
  if (body.valuesLists !== undefined) throw refuse(state, 'VALUES', firstLocation(body.valuesLists));
  if (body.intoClause !== undefined) throw refuse(state, 'SELECT INTO', body.location, 'Druid tables are read-only through polaris-pg.');
  if (body.lockingClause !== undefined) throw refuse(state, 'FOR UPDATE/SHARE', body.location);
  if (body.windowClause !== undefined) throw refuse(state, 'WINDOW clauses', body.location);
  if (str(body.limitOption) === 'LIMIT_OPTION_WITH_TIES') throw refuse(state, 'FETCH ... WITH TIES', nodeBody(body.limitCount).location);
}

function targets(env: Env, items: unknown[]): OutputItem[] {
  return uniqueNames(items.map((item) => {
    const target = nodeBody(item);
    const value = target.val;
    const columnRef = bodyIf(value, 'ColumnRef');
    const fields = list(columnRef?.fields);
    if (columnRef !== undefined && nodeType(fields.at(-1)) === 'A_Star') {
      const rel = fields.length > 1 ? names(fields.slice(0, -1)).at(-1) : undefined;
      const star = env.scope.star(env.state, rel, columnRef.location);
      return { printed: star.ex, value: undefined, name: '*', columns: star.columns, starRefs: star.refs };
    }
    const typed = expr(env, value);
    const name = str(target.name) ?? figureColname(value);
    const printed = needsAlias(typed.ex, name) ? typed.ex.as(name) : typed.ex;
    const column = { name, type: typed.type, nullable: typed.nullable, ...(typed.naive === true ? { naive: true } : {}), ...(typed.result === undefined ? {} : { result: typed.result }) };
    return { printed, value: typed, name, columns: [column] };
  }));
}

/** A GROUP BY item, recording the value it groups by in `grouped`. */
/** An integer constant used as an ordinal in GROUP BY / ORDER BY. */
export function ordinalOf(node: unknown): number | undefined {
  const constant = bodyIf(node, 'A_Const');
  if (constant?.ival === undefined) return undefined;
  return num((constant.ival as AstBody).ival) ?? 0;
}

/** A 1-based reference to a SELECT item; 42P10 when out of range, as PostgreSQL. */
export function outputReference(env: Env, ordinal: number, outputs: OutputItem[], node: unknown, clause: string): SqlLiteral {
  if (ordinal < 1 || ordinal > outputs.length || outputs.some((o) => o.value === undefined)) {
    if (ordinal >= 1 && ordinal <= outputs.length) throw refuse(env.state, `${clause} position with * in the SELECT list`, nodeBody(node).location);
    throw failAt(env.state, '42P10', `${clause} position ${ordinal} is not in select list`, nodeBody(node).location);
  }
  return SqlLiteral.create(ordinal);
}

const NO_LIMIT = 1_000_000_000;

function limitAndOffset(state: State, body: AstBody, query: SqlQuery): SqlQuery {
  let out = query;
  const limit = countValue(state, body.limitCount, 'LIMIT');
  if (limit !== undefined) out = out.changeLimitClause(new SqlLimitClause({ limit: limit as SqlLiteral }));
  const offset = countValue(state, body.limitOffset, 'OFFSET');
  if (offset !== undefined) {
    // Druid rejects OFFSET without LIMIT, and GROUP BY limits are 32-bit: 10^9 rows stand for no limit.
    if (limit === undefined) out = out.changeLimitClause(new SqlLimitClause({ limit: SqlLiteral.create(NO_LIMIT) }));
    out = out.changeOffsetClause(new SqlOffsetClause({ offset: offset as SqlLiteral }));
  }
  return out;
}

/**
 * LIMIT/OFFSET take an integer literal or a `$n`, emitted as `?` with a BIGINT slot. LIMIT NULL
 * and LIMIT ALL mean no limit.
 */
function countValue(state: State, node: unknown, clause: string): SqlExpression | undefined {
  if (node === undefined) return undefined;
  const constant = bodyIf(node, 'A_Const');
  if (constant?.isnull === true) return undefined;
  const value = ordinalOf(node);
  if (value !== undefined) {
    if (value < 0) throw failAt(state, '2201W', `${clause} must not be negative`, constant?.location);
    return SqlLiteral.create(value);
  }
  const param = bodyIf(node, 'ParamRef');
  if (param !== undefined) return state.params.placeholder(num(param.number) ?? 0, 'BIGINT', true).ex;
  const fval = constant?.fval === undefined ? undefined : str((constant.fval as AstBody).fval);
  if (fval !== undefined && /^\d+$/.test(fval)) return SqlLiteral.create(BigInt(fval));
  throw refuse(state, `${clause} with an expression`, nodeBody(node).location, `Use an integer literal or a parameter in ${clause}.`);
}
