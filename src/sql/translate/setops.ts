import type { SqlQuery } from 'druid-query-toolkit';
import { str, type AstBody } from '../ast.js';
import type { SelectResult } from './select.js';
import { refuse, type State } from './state.js';

/**
 * UNION ALL (queries-union.html). UNION, INTERSECT and EXCEPT are refused, and so are ORDER BY
 * and LIMIT on the whole set operation (Druid has no outer clauses on UNION ALL).
 */
export function setOperation(state: State, body: AstBody, select: (node: unknown) => SelectResult): SelectResult {
  const location = firstLocation(body.rarg);
  if (str(body.op) !== 'SETOP_UNION' || body.all !== true) {
    // Druid plans a DISTINCT over a UNION ALL only for unfiltered scans of equally named columns.
    const hint = 'Druid supports UNION ALL only; for UNION write SELECT DISTINCT ... FROM (... UNION ALL ...) AS u GROUP BY its columns.';
    throw refuse(state, (str(body.op) ?? '').replace('SETOP_', '') + (body.all === true ? ' ALL' : ''), location, hint);
  }
  if (body.sortClause !== undefined || body.limitCount !== undefined || body.limitOffset !== undefined) {
    throw refuse(state, 'ORDER BY, LIMIT or OFFSET on UNION', location, 'Wrap the UNION in a subquery: SELECT * FROM (... UNION ALL ...) AS u ORDER BY ...');
  }
  const left = select({ SelectStmt: body.larg });
  const right = select({ SelectStmt: body.rarg });
  // A column that is NULL in the left branch takes its type from the right one, as in PostgreSQL.
  const columns = left.columns.map((c, i) => (c.type === undefined ? { ...(right.columns[i] ?? c), name: c.name } : c));
  return { query: appendUnion(left.query, right.query), columns };
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
