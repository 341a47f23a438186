import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';
import { queryRows } from '../support/pg.js';

/** Every fixture table through the gateway on the real Druid, compared with the PostgreSQL twin. */
const CHECKS: Array<{ table: string; sql: string }> = [
  { table: 'events', sql: 'SELECT count(*), min(__time), max(__time), sum(bytes), max(session_key), count(country), count(referrer) FROM events' },
  { table: 'orders', sql: 'SELECT count(*), min(__time), max(__time), sum(quantity), max(order_id), count(coupon) FROM orders' },
  { table: 'customers', sql: 'SELECT count(*), min(__time), max(__time), sum(customer_id) FROM customers' },
  { table: 'Koalas to the Max', sql: 'SELECT count(*), min(__time), max(__time), sum("sessionLength") FROM "Koalas to the Max"' },
];

describe('fixture tables: gateway on Druid vs PostgreSQL', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => {
    await gateway.close();
  });

  for (const check of CHECKS) {
    it(`${check.table}: row count, time range and sums agree`, async () => {
      const expected = await queryRows(postgresUrl(), check.sql);
      const actual = await queryRows(connectionString(gateway), check.sql);
      expect(actual).toEqual(expected);
      expect(Number(actual[0]?.[0])).toBeGreaterThan(0);
    });
  }

  it('keeps NULL and empty strings distinct and int64 digits exact', async () => {
    const sql = "SELECT count(*) FILTER (WHERE referrer = ''), count(*) FILTER (WHERE referrer IS NULL), max(session_key) FROM events";
    const plain = "SELECT sum(CASE WHEN referrer = '' THEN 1 ELSE 0 END), sum(CASE WHEN referrer IS NULL THEN 1 ELSE 0 END), max(session_key) FROM events";
    const expected = await queryRows(postgresUrl(), sql);
    const actual = await queryRows(connectionString(gateway), plain);
    expect(actual).toEqual(expected);
    expect(BigInt(actual[0]?.[2] ?? '0')).toBeGreaterThan(2n ** 53n);
  });
});
