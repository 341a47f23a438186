import { aggregate, column, exactNumeric, expr, literal, plainAggregate, predicate, type Avoidance, type Expr, type Scope } from './expressions.js';
import type { Item, OrderKey, Query, Select } from './query.js';
import type { Rng } from './rng.js';
import type { Kind, Table } from './schema.js';

const LIMITS = [1, 3, 10, 100] as const;
const KEY_KINDS: ReadonlyArray<readonly [number, Kind]> = [[5, 'text'], [2, 'int'], [2, 'time']];

/** The random source and what to leave out, for one query. */
export interface Gen {
  rng: Rng;
  avoid: ReadonlySet<Avoidance>;
}

function scopeOf(g: Gen, table: Table, alias = ''): Scope {
  return { rng: g.rng, avoid: g.avoid, tables: [{ table, alias }] };
}

/** An output name: usually one of ours, sometimes none (PostgreSQL then names it, e.g. "count"). */
function alias(rng: Rng, prefix: string, i: number): string {
  return rng.chance(0.85) ? `${prefix}${i + 1}` : '';
}

function keyItems(scope: Scope, count: number): Item[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = scope.rng.weighted(KEY_KINDS);
    const e: Expr = kind === 'time' || scope.rng.chance(0.25) ? expr(scope, kind, 1) : { sql: column(scope, kind).sql, kind };
    return { sql: e.sql, alias: alias(scope.rng, 'k', i), key: true };
  });
}

function aggItems(scope: Scope, count: number): Item[] {
  return Array.from({ length: count }, (_, i) => {
    const agg = aggregate(scope);
    return { sql: agg.sql, alias: alias(scope.rng, 'a', i), key: false, ...(agg.kind === 'float' ? { inexact: true } : {}) };
  });
}

/** ORDER BY every output position, in a random order and direction; inexact outputs last. */
function totalOrder(rng: Rng, width: number, items: readonly Item[] = []): OrderKey[] {
  const shuffled = Array.from({ length: width }, (_, i) => i + 1);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [shuffled[i], shuffled[j]] = [shuffled[j] as number, shuffled[i] as number];
  }
  const inexact = (p: number): boolean => items[p - 1]?.inexact === true;
  const positions = [...shuffled.filter((p) => !inexact(p)), ...shuffled.filter(inexact)];
  return positions.map((position) => ({
    position,
    desc: rng.chance(0.35),
    ...(rng.chance(0.25) ? { nulls: rng.pick(['FIRST', 'LAST'] as const) } : {}),
  }));
}

function withOrder(rng: Rng, s: Select, orderChance: number): Select {
  if (!rng.chance(orderChance)) return s;
  const order = totalOrder(rng, s.items.length, s.items);
  if (!rng.chance(0.4)) return { ...s, order };
  return { ...s, order, limit: rng.pick(LIMITS), ...(rng.chance(0.3) ? { offset: rng.int(1, 5) } : {}) };
}

function where(scope: Scope, max: number): string[] {
  return Array.from({ length: scope.rng.int(0, max) }, () => predicate(scope));
}

function base(items: Item[], from: string, whereList: string[]): Select {
  return { distinct: false, items, from, where: whereList, grouping: 'none', having: [], order: [] };
}

function grouped(g: Gen, table: Table): Select {
  const { rng } = g;
  const scope = scopeOf(g, table);
  const keys = keyItems(scope, rng.int(1, 2));
  const s = { ...base([...keys, ...aggItems(scope, rng.int(1, 3))], table.sql, where(scope, 2)), grouping: 'plain' as const };
  if (rng.chance(0.25)) s.having = [`${aggregate(scope).sql} ${rng.pick(['>', '>=', '<'])} ${rng.int(0, 50)}`];
  return withOrder(rng, s, 0.8);
}

function timeSeries(g: Gen, table: Table): Select {
  const { rng } = g;
  const scope = scopeOf(g, table);
  const bucket = { sql: `date_trunc('${rng.pick(['hour', 'day', 'week', 'month'])}', __time)`, alias: alias(rng, 'k', 0), key: true };
  const from = literal(scope, 'time');
  const range = rng.chance(0.7) ? [`__time >= ${from}`, `__time < ${literal(scope, 'time')}`] : [];
  const s = { ...base([bucket, ...aggItems(scope, rng.int(1, 2))], table.sql, [...range, ...where(scope, 1)]), grouping: 'plain' as const };
  return withOrder(rng, s, 0.9);
}

function topN(g: Gen, table: Table): Select {
  const { rng } = g;
  const scope = scopeOf(g, table);
  const s = { ...base([...keyItems(scope, 1), ...aggItems(scope, 1)], table.sql, where(scope, 1)), grouping: 'plain' as const };
  const order: OrderKey[] = [{ position: 2, desc: true }, { position: 1, desc: false }];
  return { ...s, order, limit: rng.pick([1, 5, 10]) };
}

function globalAggregate(g: Gen, table: Table): Select {
  const { rng } = g;
  const scope = scopeOf(g, table);
  return base(aggItems(scope, rng.int(1, 4)), table.sql, where(scope, 2));
}

function scan(g: Gen, table: Table): Select {
  const { rng } = g;
  const scope = scopeOf(g, table);
  const items = Array.from({ length: rng.int(1, 4) }, (_, i) => {
    const kind = rng.pick(['text', 'int', 'float', 'time'] as const);
    return { sql: expr(scope, kind).sql, alias: alias(rng, 'c', i), key: true };
  });
  const s = base(items, table.sql, where(scope, 2));
  return { ...s, order: totalOrder(rng, items.length), limit: rng.pick(LIMITS), ...(rng.chance(0.2) ? { offset: rng.int(1, 10) } : {}) };
}

function distinct(g: Gen, table: Table): Select {
  const { rng } = g;
  const scope = scopeOf(g, table);
  return withOrder(rng, { ...base(keyItems(scope, rng.int(1, 2)), table.sql, where(scope, 1)), distinct: true }, 0.7);
}

function join(g: Gen, tables: ReadonlyMap<string, Table>): Select {
  const { rng } = g;
  const orders = tables.get('orders') as Table;
  const customers = tables.get('customers') as Table;
  const scope: Scope = { rng, avoid: g.avoid, tables: [{ table: orders, alias: 'o' }, { table: customers, alias: 'c' }] };
  const kind = rng.pick(['JOIN', 'JOIN', 'LEFT JOIN']);
  const from = `orders o ${kind} customers c ON o.customer_id = c.customer_id`;
  const keys = keyItems(scope, rng.int(1, 2));
  const s = { ...base([...keys, ...aggItems(scope, rng.int(1, 2))], from, where(scope, 2)), grouping: 'plain' as const };
  if (rng.chance(0.2)) {
    const flat = base(keys.map((k) => ({ ...k })), from, where(scope, 2));
    return { ...flat, order: totalOrder(rng, flat.items.length), limit: rng.pick(LIMITS) };
  }
  return withOrder(rng, s, 0.8);
}

function inSubquery(g: Gen, tables: ReadonlyMap<string, Table>): Select {
  const { rng } = g;
  const orders = tables.get('orders') as Table;
  const customers = tables.get('customers') as Table;
  const outer = scopeOf(g, orders);
  const inner = scopeOf(g, customers);
  const sub = rng.weighted<() => string>([
    [3, () => `customer_id ${rng.pick(['IN', 'NOT IN'])} (SELECT customer_id FROM customers WHERE ${predicate(inner)})`],
    [1, () => `${rng.pick(['EXISTS', 'NOT EXISTS'])} (SELECT 1 FROM customers WHERE ${predicate(inner)})`],
  ])();
  const s = { ...base([...keyItems(outer, 1), ...aggItems(outer, 1)], orders.sql, [sub, ...where(outer, 1)]), grouping: 'plain' as const };
  return withOrder(rng, s, 0.8);
}

function window(g: Gen, table: Table): Select {
  const { rng } = g;
  const scope = scopeOf(g, table);
  const keys = keyItems(scope, rng.int(1, 2));
  const agg = (g.avoid.has('window-expressions') ? plainAggregate(scope) : aggregate(scope)).sql;
  const partitioned = keys.length > 1 && rng.chance(0.5);
  const partition = partitioned ? `PARTITION BY ${keys[0]?.sql ?? ''} ` : '';
  // The keys not partitioned on are unique within a partition: row_number and lag need that order.
  const byKeys = (partitioned ? keys.slice(1) : keys).map((k) => k.sql).join(', ');
  const fn = rng.weighted<() => string>([
    [2, () => `rank() OVER (${partition}ORDER BY ${agg} DESC)`],
    [1, () => `dense_rank() OVER (${partition}ORDER BY ${byKeys})`],
    [2, () => `row_number() OVER (${partition}ORDER BY ${byKeys})`],
    [2, () => `sum(${agg}) OVER (${partition}ORDER BY ${byKeys})`],
    [1, () => `lag(${agg}) OVER (${partition}ORDER BY ${byKeys})`],
    [1, () => `count(*) OVER (${partition.trim()})`],
    // A window average inside an expression (issue 18): exact or refused.
    [1, () => `avg(${agg}) OVER (${partition.trim()}) ${rng.pick(['+ 1', '* 2', '- 3'])}`],
    [1, () => `round(avg(${agg}) OVER (${partition.trim()}), ${rng.int(0, 3)})`],
  ])();
  const items = [...keys, { sql: agg, alias: alias(rng, 'a', 0), key: false }, { sql: fn, alias: alias(rng, 'w', 0), key: false }];
  return withOrder(rng, { ...base(items, table.sql, where(scope, 1)), grouping: 'plain' }, 1);
}

/** An outer query reading a subquery's aggregate (issue 18: a numeric the subquery holds as a double). */
function derived(g: Gen, table: Table): Select {
  const { rng } = g;
  const scope = scopeOf(g, table);
  const [key] = keyItems(scope, 1);
  const agg = rng.chance(0.5) ? exactNumeric(scope) : aggregate(scope);
  const from = `(SELECT ${key?.sql ?? '1'} AS k1, ${agg.sql} AS a1 FROM ${table.sql} GROUP BY 1) s`;
  const value = rng.pick(['a1', 'a1 + 1', 'round(a1, 2)', 'coalesce(a1, 0)']);
  const items: Item[] = [{ sql: 'k1', alias: alias(rng, 'k', 0), key: true }, { sql: value, alias: alias(rng, 'a', 0), key: false, inexact: true }];
  return withOrder(rng, base(items, from, rng.chance(0.3) ? [`a1 > ${rng.int(0, 50)}`] : []), 0.9);
}

function rollup(g: Gen, table: Table): Select {
  const { rng } = g;
  const scope = scopeOf(g, table);
  const s = { ...base([...keyItems(scope, 2), ...aggItems(scope, rng.int(1, 2))], table.sql, where(scope, 1)), grouping: rng.pick(['rollup', 'cube'] as const) };
  return withOrder(rng, s, 0.9);
}

function setOperation(g: Gen, table: Table): Query {
  const { rng } = g;
  const scope = scopeOf(g, table);
  const kind = rng.pick(['text', 'int'] as const);
  const branch = (): Select => ({
    ...base([{ sql: column(scope, kind).sql, alias: 'k1', key: true }, { sql: 'count(*)', alias: 'n', key: false }], table.sql, where(scope, 1)),
    grouping: 'plain',
  });
  const body = withOrder(rng, branch(), 0.8);
  return { shape: 'setop', body, setOp: { op: rng.pick(['UNION ALL', 'UNION', 'INTERSECT', 'EXCEPT', 'INTERSECT ALL', 'EXCEPT ALL']), other: branch() } };
}

/** One random query over the fixture tables; about 60% have the shapes BI tools send. */
export function generate(rng: Rng, tables: ReadonlyMap<string, Table>, avoid: ReadonlySet<Avoidance> = new Set()): Query {
  const g: Gen = { rng, avoid };
  const table = (): Table => rng.pick([...tables.values()]);
  return rng.weighted<() => Query>([
    [25, () => ({ shape: 'grouped', body: grouped(g, table()) })],
    [15, () => ({ shape: 'timeseries', body: timeSeries(g, table()) })],
    [10, () => ({ shape: 'topn', body: topN(g, table()) })],
    [10, () => ({ shape: 'global', body: globalAggregate(g, table()) })],
    [10, () => ({ shape: 'scan', body: scan(g, table()) })],
    [5, () => ({ shape: 'distinct', body: distinct(g, table()) })],
    [8, () => ({ shape: 'join', body: join(g, tables) })],
    [4, () => ({ shape: 'subquery', body: inSubquery(g, tables) })],
    [4, () => ({ shape: 'window', body: window(g, table()) })],
    [3, () => ({ shape: 'derived', body: derived(g, table()) })],
    [4, () => ({ shape: 'rollup', body: rollup(g, table()) })],
    [5, () => setOperation(g, table())],
  ])();
}
