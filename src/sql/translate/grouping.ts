import { SqlGroupByClause, SqlRecord, type SqlExpression } from 'druid-query-toolkit';
import { list, nodeBody, nodeType, str } from '../ast.js';
import type { Env } from './expr.js';
import { refuse } from './state.js';

const DECORATORS: Readonly<Record<string, 'ROLLUP' | 'CUBE' | 'GROUPING SETS'>> = {
  GROUPING_SET_ROLLUP: 'ROLLUP',
  GROUPING_SET_CUBE: 'CUBE',
  GROUPING_SET_SETS: 'GROUPING SETS',
};

/**
 * GROUP BY: plain items, or one ROLLUP (...), CUBE (...) or GROUPING SETS (...) item, which Druid
 * runs as grouping sets (queries-table-expressions.html#QUERIES-GROUPING-SETS).
 */
export function groupByClause(env: Env, items: unknown[], item: (node: unknown) => SqlExpression): SqlGroupByClause {
  const sets = items.filter((g) => nodeType(g) === 'GroupingSet');
  if (sets.length === 0) return SqlGroupByClause.create(items.map(item));
  const only = sets[0];
  const body = nodeBody(only);
  const decorator = DECORATORS[str(body.kind) ?? ''];
  if (items.length !== 1 || decorator === undefined) {
    throw refuse(env.state, 'GROUP BY mixing grouping sets with other items', body.location, 'Write a single ROLLUP, CUBE or GROUPING SETS item.');
  }
  // PostgreSQL keeps a repeated key (ROLLUP (a, a) has the sets (a, a), (a) and ()); Druid merges them.
  const keys = list(body.content).filter((c) => nodeType(c) !== 'GroupingSet').map((c) => JSON.stringify(withoutLocations(c)));
  if (new Set(keys).size !== keys.length) {
    throw refuse(env.state, `a repeated key in ${decorator}`, body.location, 'Name each grouping key once.');
  }
  const content = list(body.content).map((c) => {
    if (nodeType(c) !== 'GroupingSet') return item(c);
    const inner = nodeBody(c);
    if (decorator !== 'GROUPING SETS' || (str(inner.kind) !== 'GROUPING_SET_SIMPLE' && str(inner.kind) !== 'GROUPING_SET_EMPTY')) {
      throw refuse(env.state, 'nested grouping sets', inner.location);
    }
    return SqlRecord.createWithoutKeyword(list(inner.content).map(item));
  });
  const expressions = SqlGroupByClause.create(content).expressions;
  return new SqlGroupByClause({ decorator, innerParens: true, ...(expressions === undefined ? {} : { expressions }) });
}

/** A parse tree without its `location` fields, to compare two expressions' structure. */
function withoutLocations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLocations);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'location').map(([k, v]) => [k, withoutLocations(v)]));
}
