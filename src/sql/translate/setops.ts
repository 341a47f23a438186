import type { SqlQuery } from 'druid-query-toolkit';
import { SqlState } from '../../errors/sqlstate.js';
import { bodyIf, list, names, nodeBody, str, type AstBody } from '../ast.js';
import type { GatewaySort } from '../types.js';
import type { ScopeColumn } from './names.js';
import { ordinalOf, type SelectResult } from './select.js';
import { failAt, refuse, type State } from './state.js';
import { timestampOutput } from './timestamp-output.js';

/**
 * Set operations (queries-union.html). A UNION ALL without ORDER BY/LIMIT goes to Druid. The
 * outermost UNION, INTERSECT and EXCEPT [ALL] of two plain SELECTs, and an outermost UNION ALL with
 * ORDER BY/LIMIT/OFFSET, are computed by the gateway (src/exec/set-operation.ts): Druid plans
 * neither a DISTINCT nor an outer clause over a union of filtered or aggregating branches ("SQL
 * requires union between inputs that are not simple table scans"), and has no INTERSECT/EXCEPT.
 * Rows are compared by value, so both sides must give every column the same exact type.
 */

const OPERATIONS: Readonly<Record<string, 'UNION' | 'INTERSECT' | 'EXCEPT'>> = { SETOP_UNION: 'UNION', SETOP_INTERSECT: 'INTERSECT', SETOP_EXCEPT: 'EXCEPT' };
/** Types whose equal values have one JSON form in Druid's results (no float rounding). */
const EXACT_TYPES: ReadonlySet<string> = new Set(['VARCHAR', 'BIGINT', 'INTEGER', 'SMALLINT', 'BOOLEAN', 'DATE', 'TIMESTAMP']);

export function setOperation(state: State, body: AstBody, select: (node: unknown) => SelectResult, top: boolean): SelectResult {
  const location = firstLocation(body.rarg);
  const op = OPERATIONS[str(body.op) ?? ''];
  const all = body.all === true;
  const outerClauses = body.sortClause !== undefined || body.limitCount !== undefined || body.limitOffset !== undefined;
  const name = `${op ?? str(body.op) ?? ''}${all ? ' ALL' : ''}`;
  if (op === 'UNION' && all && !outerClauses) {
    const left = select({ SelectStmt: body.larg });
    const right = select({ SelectStmt: body.rarg });
    // A column that is NULL in the left branch takes its type from the right one, as in PostgreSQL.
    const columns = left.columns.map((c, i) => (c.type === undefined ? { ...(right.columns[i] ?? c), name: c.name } : c));
    return { query: appendUnion(left.query, right.query), columns };
  }
  const nested = str(nodeBody({ SelectStmt: body.larg }).op) !== 'SETOP_NONE' || str(nodeBody({ SelectStmt: body.rarg }).op) !== 'SETOP_NONE';
  if (op === undefined || !top || nested || body.withClause !== undefined) {
    throw refuse(state, outerClauses && op === 'UNION' && all ? 'ORDER BY, LIMIT or OFFSET on UNION' : name, location, 'polaris-pg computes UNION, INTERSECT and EXCEPT of two plain SELECTs as the outermost query only; inside a subquery, WITH or a chain, write it as UNION ALL.');
  }
  const left = select({ SelectStmt: body.larg });
  const right = select({ SelectStmt: body.rarg });
  if (left.gatewaySort !== undefined || right.gatewaySort !== undefined || left.emptyTotal !== undefined || right.emptyTotal !== undefined) {
    throw refuse(state, `${name} of queries sorted or totalled by the gateway`, location, 'Leave ORDER BY/LIMIT and ROLLUP out of the branches.');
  }
  left.columns.forEach((c, i) => {
    const other = right.columns[i];
    if (other === undefined || c.type === undefined || !EXACT_TYPES.has(c.type) || c.type !== other.type || timestampOutput(c) !== timestampOutput(other)) {
      throw refuse(state, `${name} over columns of different or inexact types`, location, 'Both sides must give each column the same type: text, integer, boolean, date or timestamp (cast the others, e.g. to text).');
    }
  });
  const sort = outerSort(state, body, left.columns);
  return {
    query: left.query,
    columns: left.columns,
    ...(left.renamed === true ? { renamed: true } : {}),
    setOperation: { op, all, right: right.query },
    ...(sort === undefined ? {} : { gatewaySort: sort }),
  };
}

/** ORDER BY output positions or names, and literal LIMIT/OFFSET, over the combined rows. */
function outerSort(state: State, body: AstBody, columns: readonly ScopeColumn[]): GatewaySort | undefined {
  if (body.sortClause === undefined && body.limitCount === undefined && body.limitOffset === undefined) return undefined;
  const keys = list(body.sortClause).map((item) => {
    const sort = nodeBody(item);
    const descending = str(sort.sortby_dir) === 'SORTBY_DESC';
    if (str(sort.sortby_dir) === 'SORTBY_USING') throw refuse(state, 'ORDER BY ... USING', sort.location);
    const nulls = str(sort.sortby_nulls);
    const nullsFirst = nulls === 'SORTBY_NULLS_FIRST' || (nulls !== 'SORTBY_NULLS_LAST' && descending);
    const ordinal = ordinalOf(sort.node);
    const fields = names(bodyIf(sort.node, 'ColumnRef')?.fields);
    const column = ordinal !== undefined ? ordinal - 1 : fields.length === 1 ? columns.findIndex((c) => c.name === fields[0]) : -1;
    if (ordinal !== undefined && (column < 0 || column >= columns.length)) {
      throw failAt(state, SqlState.InvalidColumnReference, `ORDER BY position ${ordinal} is not in select list`, nodeBody(sort.node).location);
    }
    if (column < 0) throw refuse(state, 'ORDER BY an expression on UNION, INTERSECT or EXCEPT', nodeBody(sort.node).location, 'Order by output column names or positions.');
    return { column, descending, nullsFirst };
  });
  return { keys, hiddenColumns: 0, limit: count(state, body.limitCount, 'LIMIT'), offset: count(state, body.limitOffset, 'OFFSET') ?? 0 };
}

function count(state: State, node: unknown, clause: string): number | null {
  if (node === undefined || bodyIf(node, 'A_Const')?.isnull === true) return null;
  const value = ordinalOf(node);
  if (value === undefined) throw refuse(state, `${clause} other than an integer literal on a set operation`, nodeBody(node).location);
  if (value < 0) throw failAt(state, '2201W', `${clause} must not be negative`, nodeBody(node).location);
  return value;
}

function appendUnion(left: SqlQuery, right: SqlQuery): SqlQuery {
  return left.unionQuery === undefined ? left.changeUnionQuery(right) : left.changeUnionQuery(appendUnion(left.unionQuery, right));
}

/** The first `location` inside a subtree (SelectStmt nodes carry none of their own). */
export function firstLocation(tree: unknown): number | undefined {
  if (tree === null || typeof tree !== 'object') return undefined;
  const own = (tree as { location?: unknown }).location;
  if (typeof own === 'number' && own >= 0) return own;
  for (const value of Object.values(tree)) {
    const found = firstLocation(value);
    if (found !== undefined) return found;
  }
  return undefined;
}
