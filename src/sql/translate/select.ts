import {
  SqlColumn,
  SqlAlias,
  SqlTable,
  SqlLimitClause,
  SqlOffsetClause,
  SqlQuery,
  SqlWithClause,
  SqlWithPart,
  SqlLiteral,
  type SqlExpression,
} from 'druid-query-toolkit';
import { bodyIf, list, names, nodeBody, nodeType, num, str, type AstBody, type AstNode } from '../ast.js';
import { describeStatementTag } from '../tag.js';
import { figureColname } from './colname.js';
import { expr, requireBoolean, type Env } from './expr.js';
import { fromClause } from './from.js';
import { groupByClause } from './grouping.js';
import { planGatewaySort } from './gateway-sort.js';
import { refuseScanOrder, timeOrder } from './scan-order.js';
import { firstLocation, setOperation } from './setops.js';
import type { Scope, ScopeColumn } from './names.js';
import type { DruidType } from './typing.js';
import type { GatewaySort } from '../types.js';
import { orderBy, type OutputItem } from './order.js';
import { failAt, refuse, type State } from './state.js';

/** A translated SELECT and its output columns (for scopes of enclosing queries). */
export interface SelectResult {
  query: SqlQuery;
  columns: ScopeColumn[];
  /** True when some outputs carry a Druid alias other than their PostgreSQL name. */
  renamed?: boolean;
  /** ORDER BY/LIMIT/OFFSET left to the gateway (outermost plain scans ordered by other columns). */
  gatewaySort?: GatewaySort;
}

export type SelectTranslator = (node: unknown, ctes: ReadonlyMap<string, ScopeColumn[]>) => SelectResult;

/**
 * Translates a SelectStmt node (plain SELECT, UNION [ALL], WITH). `outer` is the scope of the
 * enclosing query for a subquery in an expression (its columns are refused as correlated).
 */
export function selectStatement(state: State, node: unknown, ctes: ReadonlyMap<string, ScopeColumn[]>, outer?: Scope, top = false): SelectResult {
  const body = nodeBody(node);
  if (nodeType(node) !== 'SelectStmt') throw refuse(state, nodeType(node) ?? 'statement', body.location);
  const visible = new Map(ctes);
  const withParts = withClause(state, body.withClause as AstBody | undefined, visible, outer);
  const result = str(body.op) === 'SETOP_NONE'
    ? simpleSelect(state, body, visible, outer, top)
    : setOperation(state, body, (n) => selectStatement(state, n, visible, outer));
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

function simpleSelect(state: State, body: AstBody, ctes: ReadonlyMap<string, ScopeColumn[]>, outer: Scope | undefined, top: boolean): SelectResult {
  rejectClauses(state, body);
  const from = fromClause(state, list(body.fromClause), ctes, (node, visible) => selectStatement(state, node, visible, outer), outer);
  const env: Env = { state, scope: from.scope, aggregates: { count: 0 } };
  const outputs = targets(env, list(body.targetList));
  let query = (from.first === undefined ? new SqlQuery({}) : SqlQuery.from(from.first)).changeSelectExpressions(outputs.map((o) => o.printed));
  for (const join of from.joins) query = query.addJoin(join);
  const distinct = list(body.distinctClause);
  if (distinct.length > 0) {
    if (distinct.some((d) => nodeType(d) !== undefined)) throw refuse(state, 'DISTINCT ON', firstLocation(distinct));
    query = query.changeDecorator('DISTINCT');
  }
  if (body.whereClause !== undefined) {
    query = query.changeWhereExpression(requireBoolean(env, expr(env, body.whereClause, 'BOOLEAN'), nodeBody(body.whereClause).location, 'WHERE').ex);
  }
  const groupClause = list(body.groupClause);
  if (groupClause.length > 0) query = query.changeGroupByClause(groupByClause(env, groupClause, (g) => groupItem(env, g, outputs)));
  if (body.havingClause !== undefined) {
    query = query.changeHavingExpression(requireBoolean(env, expr(env, body.havingClause, 'BOOLEAN'), nodeBody(body.havingClause).location, 'HAVING').ex);
  }
  const sort = list(body.sortClause);
  if (sort.length > 0) {
    const keys = orderBy(env, sort, outputs);
    const aggregating = groupClause.length > 0 || distinct.length > 0 || (env.aggregates?.count ?? 0) > 0 || body.havingClause !== undefined;
    const base = from.first instanceof SqlAlias ? from.first.expression : from.first;
    const tableScan = from.joins.length === 0 && base instanceof SqlTable;
    const ordered = aggregating || !tableScan ? keys : timeOrder(keys, outputs);
    if (ordered === undefined) {
      const location = nodeBody(nodeBody(sort[0]).node).location;
      if (!top) throw refuseScanOrder(state, location);
      const gatewaySort = gatewaySorted(env, body, sort, outputs, location);
      query = query.changeSelectExpressions([...query.getSelectExpressionsArray(), ...gatewaySort.hidden]);
      return { query, columns: outputs.flatMap((o) => o.columns), gatewaySort: gatewaySort.sort, ...renamedFlag(outputs) };
    }
    query = query.changeOrderByExpressions(ordered);
  }
  query = limitAndOffset(state, body, query);
  return { query, columns: outputs.flatMap((o) => o.columns), ...renamedFlag(outputs) };
}

function renamedFlag(outputs: OutputItem[]): { renamed?: boolean } {
  return outputs.some((o) => o.druidName !== undefined) ? { renamed: true } : {};
}

/** The gateway's ORDER BY/LIMIT/OFFSET for a scan Druid cannot order (literal LIMIT/OFFSET only). */
function gatewaySorted(env: Env, body: AstBody, sort: unknown[], outputs: OutputItem[], location: unknown): { sort: GatewaySort; hidden: SqlExpression[] } {
  const limit = countValue(env.state, body.limitCount, 'LIMIT');
  const offset = countValue(env.state, body.limitOffset, 'OFFSET');
  const literal = (ex: SqlExpression | undefined): number | null | undefined => {
    if (ex === undefined) return null;
    return ex instanceof SqlLiteral && (typeof ex.value === 'number' || typeof ex.value === 'bigint') ? Number(ex.value) : undefined;
  };
  const [limitValue, offsetValue] = [literal(limit), literal(offset)];
  if (limitValue === undefined || offsetValue === undefined) throw refuseScanOrder(env.state, location);
  const planned = planGatewaySort(env, sort, outputs);
  return { sort: { ...planned.sort, limit: limitValue, offset: offsetValue ?? 0 }, hidden: planned.hidden };
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
      return { printed: star.ex, value: undefined, name: '*', columns: star.columns };
    }
    const typed = expr(env, value);
    const name = str(target.name) ?? figureColname(value);
    const printed = needsAlias(typed.ex, name) ? typed.ex.as(name) : typed.ex;
    return { printed, value: typed, name, columns: [{ name, type: typed.type, nullable: typed.nullable }] };
  }));
}

/** Druid's native (runtime) type of a SQL type: what its "conflicting types" check compares. */
function nativeClass(type: DruidType | undefined): string {
  switch (type) {
    case 'BIGINT':
    case 'INTEGER':
    case 'BOOLEAN':
    case 'TIMESTAMP':
    case 'DATE':
      return 'LONG';
    case 'DOUBLE':
    case 'FLOAT':
    case 'DECIMAL':
      return 'DOUBLE';
    case 'VARCHAR':
      return 'STRING';
    default:
      return 'COMPLEX';
  }
}

/**
 * Druid fails on equal output names of different native types ("conflicting types"); PostgreSQL
 * allows them. Outputs of the first type keep the name, those of the k-th other type are aliased
 * name_k (k >= 2); `name` keeps the PostgreSQL name (Translation.columnNames).
 */
function uniqueNames(outputs: OutputItem[]): OutputItem[] {
  const classes = new Map<string, string[]>();
  for (const o of outputs) {
    if (o.value?.type === undefined) continue;
    const seen = classes.get(o.name) ?? [];
    const native = nativeClass(o.value.type);
    if (!seen.includes(native)) classes.set(o.name, [...seen, native]);
  }
  return outputs.map((o) => {
    const index = o.value?.type === undefined ? 0 : (classes.get(o.name) ?? []).indexOf(nativeClass(o.value.type));
    if (index < 1 || o.value === undefined) return o;
    const druidName = `${o.name}_${index + 1}`;
    return { ...o, printed: o.value.ex.as(druidName), druidName };
  });
}

/** Druid names unaliased expressions EXPR$n; alias everything but a column under its own name. */
function needsAlias(ex: SqlExpression, name: string): boolean {
  return !(ex instanceof SqlColumn && ex.getName() === name);
}

function groupItem(env: Env, node: unknown, outputs: OutputItem[]): SqlExpression {
  const ordinal = ordinalOf(node);
  if (ordinal !== undefined) return outputReference(env, ordinal, outputs, node, 'GROUP BY');
  const columnRef = bodyIf(node, 'ColumnRef');
  const fields = names(columnRef?.fields);
  if (columnRef !== undefined && fields.length === 1) {
    const name = fields[0] ?? '';
    // PostgreSQL looks a bare GROUP BY name up among input columns first, then output names.
    if (env.scope.resolve(env.state, fields, columnRef.location) === undefined) {
      const index = outputs.findIndex((o) => o.name === name);
      if (index >= 0) return SqlLiteral.create(index + 1);
    }
  }
  return expr(env, node).ex;
}

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
