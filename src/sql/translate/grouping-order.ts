import { names, nodeBody, nodeType, str, type AstBody } from '../ast.js';
import { isAggregate } from './aggregates.js';
import { refuse, type State } from './state.js';

/**
 * ORDER BY over grouping sets. PostgreSQL 15 and 16 treat the output of a single sorted rollup as
 * ordered by its keys (create_groupingsets_path in src/backend/optimizer/util/pathnode.c gives it
 * the group pathkeys), though each rolled-up row (NULL in the rolled-up keys) comes after the rows
 * of its group and the grand total last. ORDER BY then skips its sort for the leading keys the
 * rollup's input order satisfies (later keys are sorted by an incremental sort within them). Where
 * one of those keys puts NULLs first, the rolled-up rows are out of place, and where they come
 * depends on the plan (the twin: `SELECT coupon FROM orders WHERE coupon IN ('WELCOME10') GROUP BY
 * ROLLUP (coupon) ORDER BY 1 DESC` gives 'WELCOME10' before the NULL total, though DESC puts NULLs
 * first): refused. Where each leading grouping key puts NULLs last, the rollup's order is the order
 * ORDER BY asks for, so every plan gives it, as Druid's sort does. A leading aggregate key cannot
 * be satisfied by the input order: PostgreSQL sorts in full.
 */
export function refuseGroupingKeyOrder(state: State, sort: unknown[], targets: unknown[]): void {
  for (const item of sort) {
    const sortBy = nodeBody(item);
    const node = sortBy.node;
    const resolved = outputNode(node, targets) ?? node;
    if (isAggregateCall(resolved)) return;
    if (nullsFirst(sortBy)) {
      throw refuse(state, 'ORDER BY a grouping key with NULLS FIRST (or DESC) with ROLLUP, CUBE or GROUPING SETS', nodeBody(node).location, 'PostgreSQL places the subtotal rows by its plan here; sort that key with NULLS LAST, put an aggregate first in ORDER BY, or sort the result in the client.');
    }
  }
}

/** True when a SortBy puts NULLs first: NULLS FIRST, or DESC without NULLS LAST. */
function nullsFirst(sortBy: AstBody): boolean {
  const nulls = str(sortBy.sortby_nulls);
  return nulls === 'SORTBY_NULLS_FIRST' || (nulls !== 'SORTBY_NULLS_LAST' && str(sortBy.sortby_dir) === 'SORTBY_DESC');
}

/** The expression an ORDER BY ordinal or output name refers to. */
function outputNode(node: unknown, targets: unknown[]): unknown {
  const body = nodeBody(node);
  if (nodeType(node) === 'A_Const' && body.ival !== undefined) {
    const ordinal = Number((body.ival as { ival?: number }).ival ?? 0);
    return nodeBody(targets[ordinal - 1]).val;
  }
  const ref = nodeType(node) === 'ColumnRef' ? names(body.fields) : [];
  if (ref.length !== 1) return undefined;
  return targets.map((t) => nodeBody(t)).find((t) => t.name === ref[0])?.val;
}

function isAggregateCall(node: unknown): boolean {
  if (nodeType(node) !== 'FuncCall') return false;
  const body = nodeBody(node);
  const name = names(body.funcname).at(-1);
  return name !== undefined && body.over === undefined && isAggregate(name);
}
