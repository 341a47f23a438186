import { names, nodeBody, nodeType } from '../ast.js';
import { isAggregate } from './aggregates.js';
import { refuse, type State } from './state.js';

/**
 * ORDER BY over grouping sets may only name aggregates. PostgreSQL 15 and 16 treat the sorted
 * input of a ROLLUP as already ordered by its keys, so the rows a grouping set adds (NULL in the
 * rolled-up keys) come where the plan emits them, not where ORDER BY's NULL placement puts them
 * (the twin: `SELECT coupon FROM orders WHERE coupon IN ('WELCOME10') GROUP BY ROLLUP (coupon)
 * ORDER BY 1 DESC` gives 'WELCOME10' before the NULL total, though DESC puts NULLs first). That
 * order depends on the plan, so the gateway refuses it rather than guess.
 */
export function refuseGroupingKeyOrder(state: State, sort: unknown[], targets: unknown[]): void {
  for (const item of sort) {
    const node = nodeBody(item).node;
    const resolved = outputNode(node, targets) ?? node;
    if (!isAggregateCall(resolved)) {
      throw refuse(state, 'ORDER BY a grouping key with ROLLUP, CUBE or GROUPING SETS', nodeBody(node).location, 'PostgreSQL places the subtotal rows by its plan here; order by aggregates only, or sort the result in the client.');
    }
  }
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
