import { L, SqlJoinPart, T, type SqlExpression } from 'druid-query-toolkit';
import { SqlState } from '../../errors/sqlstate.js';
import { nodeBody, nodeType, str, type AstBody } from '../ast.js';
import { CATALOG_SCHEMAS, DATA_SCHEMAS } from '../catalog-relations.js';
import { expr } from './expr.js';
import { usingCondition } from './join-using.js';
import { cteHasLeftJoin, hasLeftJoin } from './outer-filter.js';
import { Scope, type RangeEntry, type ScopeColumn } from './names.js';
import { failAt, refuse, type State } from './state.js';
import { typeOfSqlType } from './typing.js';
import type { SelectTranslator } from './select.js';

/** The translated FROM clause and the scope its items make visible. */
export interface FromResult {
  first: SqlExpression | undefined;
  joins: SqlJoinPart[];
  scope: Scope;
  /** The FROM items on the right of a LEFT JOIN, whose rows are NULL-extended. */
  nullableSides: RangeEntry[];
}

const JOIN_TYPES: Readonly<Record<string, 'INNER' | 'LEFT'>> = { JOIN_INNER: 'INNER', JOIN_LEFT: 'LEFT' };

/**
 * FROM: one table, subquery or CTE, optionally followed by INNER/LEFT JOINs with ON. A CROSS
 * JOIN and later comma-separated items (tables or subqueries) are INNER JOINs ON TRUE, the
 * same rows (https://www.postgresql.org/docs/current/queries-table-expressions.html).
 */
export function fromClause(state: State, items: unknown[], ctes: ReadonlyMap<string, ScopeColumn[]>, select: SelectTranslator, outer?: Scope): FromResult {
  const scope = new Scope(ctes, outer);
  const result: FromResult = { first: undefined, joins: [], scope, nullableSides: [] };
  if (items.length === 0) return result;
  result.first = fromItem(state, items[0], result, select);
  for (const item of items.slice(1)) {
    if (nodeType(item) === 'JoinExpr') throw refuse(state, 'a join after a comma in FROM', locationOf(nodeBody(item).larg), 'Write every item with JOIN ... ON.');
    result.joins.push(SqlJoinPart.create('INNER', fromItem(state, item, result, select), L.TRUE));
  }
  return result;
}

function fromItem(state: State, node: unknown, result: FromResult, select: SelectTranslator): SqlExpression {
  const body = nodeBody(node);
  switch (nodeType(node)) {
    case 'RangeVar': {
      const table = rangeVar(state, body, result.scope);
      const cte = str(body.schemaname) === undefined && result.scope.ctes.has(str(body.relname) ?? '');
      if (cte && cteHasLeftJoin(state, str(body.relname) ?? '')) markNullable(result);
      return table;
    }
    case 'RangeSubselect': {
      const sub = subselect(state, body, result.scope, select);
      if (hasLeftJoin(body.subquery)) markNullable(result);
      return sub;
    }
    case 'JoinExpr':
      return join(state, body, result, select);
    default:
      throw refuse(state, `FROM item ${nodeType(node) ?? ''}`, body.location);
  }
}

/** The FROM item just added comes from a LEFT JOIN: WHERE/HAVING over it are guarded (outer-filter.ts). */
function markNullable(result: FromResult): void {
  const entry = result.scope.entries.at(-1);
  if (entry !== undefined) result.nullableSides.push(entry);
}

function join(state: State, body: AstBody, result: FromResult, select: SelectTranslator): SqlExpression {
  if (str(body.jointype) === 'JOIN_RIGHT') return rightJoin(state, body, result, select);
  const joinType = JOIN_TYPES[str(body.jointype) ?? ''];
  if (joinType === undefined) throw refuse(state, `${(str(body.jointype) ?? '').replace('JOIN_', '')} JOIN`, locationOf(body.rarg), 'Druid supports INNER and LEFT joins.');
  if (body.isNatural === true) throw refuse(state, 'NATURAL joins', locationOf(body.rarg), 'Write the join condition with ON or USING.');
  if (body.alias !== undefined) throw refuse(state, 'an alias on a join', locationOf(body.rarg));
  const left = fromItem(state, body.larg, result, select);
  if (nodeType(body.rarg) === 'JoinExpr') throw refuse(state, 'a parenthesised join on the right of JOIN', locationOf(body.rarg));
  const firstRight = result.scope.entries.length;
  const right = fromItem(state, body.rarg, result, select);
  // CROSS JOIN: an INNER JOIN without a condition.
  const on =
    body.usingClause !== undefined
      ? usingCondition(state, body.usingClause, result.scope, firstRight, locationOf(body.rarg))
      : body.quals === undefined
        ? L.TRUE
        : expr({ state, scope: result.scope }, body.quals, 'BOOLEAN').ex;
  result.joins.push(SqlJoinPart.create(joinType, right, on));
  // The right side of a LEFT JOIN is NULL-extended: its columns (even __time) can be NULL.
  if (joinType === 'LEFT') {
    for (const entry of result.scope.entries.slice(firstRight)) entry.columns = entry.columns.map((c) => ({ ...c, nullable: true }));
    result.nullableSides.push(...result.scope.entries.slice(firstRight));
  }
  return left;
}

/**
 * `a RIGHT JOIN b ON c` is `b LEFT JOIN a ON c` with a's columns listed first
 * (https://www.postgresql.org/docs/current/queries-table-expressions.html): written so for Druid,
 * whose RIGHT JOIN the gateway does not use. Only as the first join (a join on the left would
 * become a parenthesised join on the right); `SELECT *` is refused (Scope.swappedJoin).
 */
function rightJoin(state: State, body: AstBody, result: FromResult, select: SelectTranslator): SqlExpression {
  if (nodeType(body.larg) === 'JoinExpr') throw refuse(state, 'RIGHT JOIN after another join', locationOf(body.rarg), 'Write it as a LEFT JOIN with the sides swapped.');
  result.scope.swappedJoin = true;
  return join(state, { ...body, jointype: 'JOIN_LEFT', larg: body.rarg, rarg: body.larg }, result, select);
}

function locationOf(node: unknown): unknown {
  const body = nodeBody(node);
  return body.location ?? nodeBody(body.subquery).location;
}

function rangeVar(state: State, body: AstBody, scope: Scope): SqlExpression {
  const schema = str(body.schemaname);
  const name = str(body.relname) ?? '';
  const alias = str((body.alias as AstBody | undefined)?.aliasname);
  if ((body.alias as AstBody | undefined)?.colnames !== undefined) throw refuse(state, 'column aliases on a table', body.location);
  const refName = alias ?? name;
  const cte = schema === undefined ? scope.ctes.get(name) : undefined;
  if (cte !== undefined) {
    scope.add({ refName, columns: cte });
    return alias === undefined ? T(name) : T(name).as(alias);
  }
  const dataSchema = schema === undefined || DATA_SCHEMAS.has(schema) || schema === state.ctx.schemaName;
  const table = dataSchema ? state.ctx.schema.tables.get(name) : undefined;
  if (table === undefined) {
    if (schema !== undefined && CATALOG_SCHEMAS.has(schema)) throw refuse(state, `${schema} relations in a Druid query`, body.location);
    const shown = schema === undefined ? name : `${schema}.${name}`;
    throw failAt(state, SqlState.UndefinedTable, `relation "${shown}" does not exist`, body.location);
  }
  const columns = [...table.columns]
    .sort((a, b) => a.ordinal - b.ordinal)
    .map((c) => ({ name: c.name, type: typeOfSqlType(c.sqlType), nullable: c.nullable }));
  scope.add({ refName, columns });
  return alias === undefined ? T(table.name) : T(table.name).as(alias);
}

function subselect(state: State, body: AstBody, scope: Scope, select: SelectTranslator): SqlExpression {
  if (body.lateral === true) throw refuse(state, 'LATERAL', nodeBody(body.subquery).location);
  const aliasBody = body.alias as AstBody | undefined;
  if (aliasBody?.colnames !== undefined) throw refuse(state, 'column aliases on a subquery', nodeBody(body.subquery).location);
  const sub = select(body.subquery, scope.ctes);
  const alias = str(aliasBody?.aliasname);
  scope.add({ refName: alias ?? '', columns: sub.columns });
  const wrapped: SqlExpression = sub.query.ensureParens();
  return alias === undefined ? wrapped : wrapped.as(alias);
}
