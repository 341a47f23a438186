import type { Item, OrderKey, Query, Select } from './query.js';

/** Drops the output at `index` and renumbers the ORDER BY positions after it. */
function dropItem(s: Select, index: number): Select {
  const items: Item[] = s.items.filter((_, i) => i !== index);
  const order: OrderKey[] = s.order
    .filter((o) => o.position !== index + 1)
    .map((o) => (o.position > index + 1 ? { ...o, position: o.position - 1 } : o));
  return { ...s, items, order };
}

/** Smaller variants of a query, each one part less. */
function* candidates(q: Query): Generator<Query> {
  const b = q.body;
  if (q.setOp !== undefined) yield { shape: q.shape, body: b };
  for (let i = 0; i < b.where.length; i++) yield { ...q, body: { ...b, where: b.where.filter((_, j) => j !== i) } };
  if (b.having.length > 0) yield { ...q, body: { ...b, having: [] } };
  if (b.offset !== undefined) {
    const { offset: _offset, ...rest } = b;
    yield { ...q, body: rest };
  }
  if (b.limit !== undefined) {
    const { limit: _limit, offset: _offset, ...rest } = b;
    yield { ...q, body: rest };
  }
  if (b.grouping === 'rollup' || b.grouping === 'cube') yield { ...q, body: { ...b, grouping: 'plain' } };
  // A set operation's branches must keep the same width, so outputs are dropped only without one.
  if (q.setOp === undefined && b.items.length > 1) {
    for (let i = 0; i < b.items.length; i++) yield { ...q, body: dropItem(b, i) };
  }
  if (b.order.length > 0 && b.limit === undefined) yield { ...q, body: { ...b, order: [] } };
  if (b.distinct) yield { ...q, body: { ...b, distinct: false } };
}

/**
 * Greedy minimisation: keeps the first smaller variant that still fails the same way and starts
 * again from it, until no single part can be dropped.
 */
export async function minimize(query: Query, stillFails: (q: Query) => Promise<boolean>, maxSteps = 200): Promise<Query> {
  let current = query;
  let steps = 0;
  for (let changed = true; changed && steps < maxSteps;) {
    changed = false;
    for (const candidate of candidates(current)) {
      steps++;
      if (await stillFails(candidate)) {
        current = candidate;
        changed = true;
        break;
      }
      if (steps >= maxSteps) break;
    }
  }
  return current;
}
