/**
 * A generated query as parts the minimizer can drop one at a time, and its SQL text.
 * Every rendered query has a deterministic answer on PostgreSQL: its ORDER BY lists every output
 * column (rows equal in all of them are identical), and LIMIT/OFFSET appear only after it.
 */
export interface Item {
  sql: string;
  /** '' for none: PostgreSQL then names the column ("count", "?column?", ...). */
  alias: string;
  /** A grouping key (in GROUP BY) rather than an aggregate or window over the groups. */
  key: boolean;
  /**
   * A float aggregate whose last digits depend on summation order: ordering by it first could
   * order equal values differently on each side, so the generator orders by it last.
   */
  inexact?: boolean;
}

export interface OrderKey {
  /** 1-based output position. */
  position: number;
  desc: boolean;
  nulls?: 'FIRST' | 'LAST';
}

export type Grouping = 'none' | 'plain' | 'rollup' | 'cube';

export interface Select {
  distinct: boolean;
  items: Item[];
  from: string;
  /** AND-ed conjuncts. */
  where: string[];
  grouping: Grouping;
  having: string[];
  order: OrderKey[];
  limit?: number;
  offset?: number;
}

export interface Query {
  /** The shape the grammar chose (for the summary). */
  shape: string;
  body: Select;
  /** A second branch for UNION ALL / UNION / INTERSECT / EXCEPT, with the same column kinds. */
  setOp?: { op: string; other: Select };
}

function selectSql(s: Select, withOrder: boolean): string {
  const parts = [`SELECT ${s.distinct ? 'DISTINCT ' : ''}${s.items.map((i) => (i.alias === '' ? i.sql : `${i.sql} AS ${i.alias}`)).join(', ')}`, `FROM ${s.from}`];
  if (s.where.length > 0) parts.push(`WHERE ${s.where.join(' AND ')}`);
  const keys = s.items.map((item, i) => ({ item, position: i + 1 })).filter((k) => k.item.key);
  if (s.grouping === 'plain' && keys.length > 0) parts.push(`GROUP BY ${keys.map((k) => k.position).join(', ')}`);
  if (s.grouping === 'rollup' || s.grouping === 'cube') parts.push(`GROUP BY ${s.grouping.toUpperCase()} (${keys.map((k) => k.item.sql).join(', ')})`);
  if (s.having.length > 0) parts.push(`HAVING ${s.having.join(' AND ')}`);
  if (withOrder) parts.push(...orderSql(s));
  return parts.join(' ');
}

function orderSql(s: Select): string[] {
  const parts: string[] = [];
  if (s.order.length > 0) {
    parts.push(`ORDER BY ${s.order.map((o) => `${o.position}${o.desc ? ' DESC' : ''}${o.nulls === undefined ? '' : ` NULLS ${o.nulls}`}`).join(', ')}`);
  }
  if (s.limit !== undefined) parts.push(`LIMIT ${s.limit}`);
  if (s.offset !== undefined) parts.push(`OFFSET ${s.offset}`);
  return parts;
}

export function render(q: Query): string {
  if (q.setOp === undefined) return selectSql(q.body, true);
  return [`(${selectSql(q.body, false)}) ${q.setOp.op} (${selectSql(q.setOp.other, false)})`, ...orderSql(q.body)].join(' ');
}

/** True when rows must compare in order (the query has a top-level ORDER BY). */
export function isOrdered(q: Query): boolean {
  return q.body.order.length > 0;
}
