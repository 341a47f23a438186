import {
  SqlColumn,
  SqlLimitClause,
  SqlOffsetClause,
  SqlQuery,
  SqlWithClause,
  SqlWithPart,
  SqlLiteral,
  type SqlExpression,
} from 'druid-query-toolkit';
import { bodyIf, list, names, nodeBody, nodeType, num, str, type AstBody } from '../ast.js';
import { figureColname } from './colname.js';
import { expr, requireBoolean, type Env } from './expr.js';
import { fromClause } from './from.js';
import type { ScopeColumn } from './names.js';
import { orderBy, type OutputItem } from './order.js';
import { failAt, refuse, type State } from './state.js';

/** A translated SELECT and its output columns (for scopes of enclosing queries). */
export interface SelectResult {
  query: SqlQuery;
  columns: ScopeColumn[];
}

export type SelectTranslator = (node: unknown, ctes: ReadonlyMap<string, ScopeColumn[]>) => SelectResult;

/** Translates a SelectStmt node (plain SELECT, UNION ALL, WITH). */
export function selectStatement(state: State, node: unknown, ctes: ReadonlyMap<string, ScopeColumn[]>): SelectResult {
  const body = nodeBody(node);
  if (nodeType(node) !== 'SelectStmt') throw refuse(state, nodeType(node) ?? 'statement', body.location);
  const visible = new Map(ctes);
  const withParts = withClause(state, body.withClause as AstBody | undefined, visible);
  const result = str(body.op) === 'SETOP_NONE' ? simpleSelect(state, body, visible) : setOperation(state, body, visible);
  const query = withParts.length === 0 ? result.query : result.query.changeWithClause(SqlWithClause.create(withParts));
  return { query, columns: result.columns };
}

function withClause(state: State, clause: AstBody | undefined, visible: Map<string, ScopeColumn[]>): SqlWithPart[] {
  if (clause === undefined) return [];
  if (clause.recursive === true) throw refuse(state, 'WITH RECURSIVE', clause.location);
  return list(clause.ctes).map((c) => {
    const cte = nodeBody(c);
    if (cte.aliascolnames !== undefined) throw refuse(state, 'column names on a WITH query', cte.location);
    if (str(cte.ctematerialized) !== undefined && str(cte.ctematerialized) !== 'CTEMaterializeDefault') {
      throw refuse(state, 'MATERIALIZED in WITH', cte.location);
    }
    const name = str(cte.ctename) ?? '';
    const sub = selectStatement(state, cte.ctequery, visible);
    visible.set(name, sub.columns);
    return SqlWithPart.simple(name, sub.query);
  });
}

function setOperation(state: State, body: AstBody, ctes: ReadonlyMap<string, ScopeColumn[]>): SelectResult {
  const location = firstLocation(body.rarg);
  if (str(body.op) !== 'SETOP_UNION' || body.all !== true) {
    throw refuse(state, (str(body.op) ?? '').replace('SETOP_', '') + (body.all === true ? ' ALL' : ''), location, 'Druid supports UNION ALL only.');
  }
  if (body.sortClause !== undefined || body.limitCount !== undefined || body.limitOffset !== undefined) {
    throw refuse(state, 'ORDER BY, LIMIT or OFFSET on UNION ALL', location, 'Wrap the UNION ALL in a subquery: SELECT * FROM (... UNION ALL ...) AS u ORDER BY ...');
  }
  const left = selectStatement(state, { SelectStmt: body.larg }, ctes);
  const right = selectStatement(state, { SelectStmt: body.rarg }, ctes);
  return { query: appendUnion(left.query, right.query), columns: left.columns };
}

function appendUnion(left: SqlQuery, right: SqlQuery): SqlQuery {
  return left.unionQuery === undefined ? left.changeUnionQuery(right) : left.changeUnionQuery(appendUnion(left.unionQuery, right));
}

function simpleSelect(state: State, body: AstBody, ctes: ReadonlyMap<string, ScopeColumn[]>): SelectResult {
  rejectClauses(state, body);
  const from = fromClause(state, list(body.fromClause), ctes, (node, visible) => selectStatement(state, node, visible));
  const env: Env = { state, scope: from.scope };
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
  const groupBy = list(body.groupClause).map((g) => groupItem(env, g, outputs));
  if (groupBy.length > 0) query = query.changeGroupByExpressions(groupBy);
  if (body.havingClause !== undefined) {
    query = query.changeHavingExpression(requireBoolean(env, expr(env, body.havingClause, 'BOOLEAN'), nodeBody(body.havingClause).location, 'HAVING').ex);
  }
  const sort = list(body.sortClause);
  if (sort.length > 0) query = query.changeOrderByExpressions(orderBy(env, sort, outputs));
  query = limitAndOffset(state, body, query);
  return { query, columns: outputs.flatMap((o) => o.columns) };
}

function rejectClauses(state: State, body: AstBody): void {
  if (body.valuesLists !== undefined) throw refuse(state, 'VALUES', firstLocation(body.valuesLists));
  if (body.intoClause !== undefined) throw refuse(state, 'SELECT INTO', body.location, 'Druid tables are read-only through polaris-pg.');
  if (body.lockingClause !== undefined) throw refuse(state, 'FOR UPDATE/SHARE', body.location);
  if (body.windowClause !== undefined) throw refuse(state, 'WINDOW clauses', body.location);
  if (str(body.limitOption) === 'LIMIT_OPTION_WITH_TIES') throw refuse(state, 'FETCH ... WITH TIES', nodeBody(body.limitCount).location);
}

function targets(env: Env, items: unknown[]): OutputItem[] {
  return items.map((item) => {
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
  if (nodeType(node) === 'GroupingSet') throw refuse(env.state, 'GROUPING SETS, ROLLUP and CUBE', nodeBody(node).location);
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

function limitAndOffset(state: State, body: AstBody, query: SqlQuery): SqlQuery {
  let out = query;
  const limit = countValue(state, body.limitCount, 'LIMIT');
  if (limit !== undefined) out = out.changeLimitClause(new SqlLimitClause({ limit: limit as SqlLiteral }));
  const offset = countValue(state, body.limitOffset, 'OFFSET');
  if (offset !== undefined) out = out.changeOffsetClause(new SqlOffsetClause({ offset: offset as SqlLiteral }));
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
  if (param !== undefined) return state.params.placeholder(num(param.number) ?? 0, 'BIGINT').ex;
  const fval = constant?.fval === undefined ? undefined : str((constant.fval as AstBody).fval);
  if (fval !== undefined && /^\d+$/.test(fval)) return SqlLiteral.create(BigInt(fval));
  throw refuse(state, `${clause} with an expression`, nodeBody(node).location, `Use an integer literal or a parameter in ${clause}.`);
}

/** The first `location` inside a subtree (SelectStmt nodes carry none of their own). */
function firstLocation(tree: unknown): number | undefined {
  if (tree === null || typeof tree !== 'object') return undefined;
  const own = (tree as { location?: unknown }).location;
  if (typeof own === 'number' && own >= 0) return own;
  for (const value of Object.values(tree)) {
    const found = firstLocation(value);
    if (found !== undefined) return found;
  }
  return undefined;
}
