import { SqlGroupByClause, SqlLiteral, SqlRecord, type SqlExpression } from 'druid-query-toolkit';
import { bodyIf, list, names, nodeBody, nodeType, str } from '../ast.js';
import { expr, type Env } from './expr.js';
import { refuse } from './state.js';
import type { OutputItem } from './order.js';
import { ordinalOf, outputReference } from './select.js';
import { groupedOutput } from './timestamp-output.js';
import type { Typed } from './typing.js';

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

export function groupedItem(env: Env, node: unknown, outputs: OutputItem[], grouped: Typed[], output: boolean): SqlExpression {
  const { ex, referenced } = groupItem(env, node, outputs, output);
  grouped.push(referenced?.value ?? expr(env, node));
  return ex;
}

/** A GROUP BY item, and the output it refers to by ordinal or name. */
function groupItem(env: Env, node: unknown, outputs: OutputItem[], output: boolean): { ex: SqlExpression; referenced?: OutputItem } {
  const ordinal = ordinalOf(node);
  if (ordinal !== undefined) {
    const referenced = outputs[ordinal - 1];
    const ex = groupedOutput(referenced, outputReference(env, ordinal, outputs, node, 'GROUP BY'), output);
    return referenced === undefined ? { ex } : { ex, referenced };
  }
  const columnRef = bodyIf(node, 'ColumnRef');
  const fields = names(columnRef?.fields);
  if (columnRef !== undefined && fields.length === 1) {
    const name = fields[0] ?? '';
    // PostgreSQL looks a bare GROUP BY name up among input columns first, then output names.
    if (env.scope.resolve(env.state, fields, columnRef.location) === undefined) {
      const index = outputs.findIndex((o) => o.name === name);
      const referenced = outputs[index];
      if (referenced !== undefined) return { ex: groupedOutput(referenced, SqlLiteral.create(index + 1), output), referenced };
    }
  }
  return { ex: expr(env, node).ex };
}
