/**
 * Node drivers beyond the plain pg client of test/integration: pg-query-stream and pg-cursor (Execute
 * with a row limit and PortalSuspended) and postgres.js (named prepared statements, parameters,
 * cursors), compared with the PostgreSQL twin.
 */
import pg from 'pg';
import Cursor from 'pg-cursor';
import QueryStream from 'pg-query-stream';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';
import { queryRows, textClient } from '../support/pg.js';

const MANY = 'SELECT user_id, path, count(*) AS n FROM events GROUP BY user_id, path ORDER BY user_id, path';
const PARAMS_SQL = 'SELECT country, count(*) AS n, sum(bytes) AS b FROM events WHERE status = $1 AND device = $2 GROUP BY country ORDER BY n DESC, country LIMIT 5';

describe('node drivers against the gateway on Druid', () => {
  let gateway: Gateway;
  let url: string;
  let expectedMany: Array<Array<string | null>>;
  beforeAll(async () => {
    gateway = await startTestGateway();
    url = connectionString(gateway);
    expectedMany = await queryRows(postgresUrl(), MANY);
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('pg-query-stream streams more than 4096 rows in 1000-row batches, in order', async () => {
    const client = textClient(url);
    await client.connect();
    try {
      const stream = client.query(new QueryStream(MANY, [], { batchSize: 1000, rowMode: 'array' }));
      const rows: unknown[][] = [];
      for await (const row of stream) rows.push(row as unknown[]);
      expect(expectedMany.length).toBeGreaterThan(4096);
      expect(rows).toEqual(expectedMany);
    } finally {
      await client.end();
    }
  });

  it('pg-cursor reads 2048 rows at a time and sees the end of the portal', async () => {
    const client = textClient(url);
    await client.connect();
    try {
      const cursor = client.query(new Cursor(MANY, [], { rowMode: 'array' }));
      const batches: number[] = [];
      const rows: unknown[][] = [];
      for (;;) {
        const batch = (await cursor.read(2048)) as unknown[][];
        if (batch.length === 0) break;
        batches.push(batch.length);
        rows.push(...batch);
      }
      await cursor.close();
      expect(batches.slice(0, -1).every((n) => n === 2048)).toBe(true);
      expect(rows).toEqual(expectedMany);
      expect((await client.query('SELECT count(*) FROM orders')).rows).toEqual([{ count: '5000' }]);
    } finally {
      await client.end();
    }
  });

  it('node-postgres parses int8, float8 and timestamptz into JS values like PostgreSQL', async () => {
    const sql = 'SELECT order_id, amount, __time, coupon FROM orders WHERE order_id IN (1, 2, 3) ORDER BY __time';
    const read = async (connection: string) => {
      const client = new pg.Client({ connectionString: connection });
      await client.connect();
      try {
        return (await client.query(sql)).rows as Array<Record<string, unknown>>;
      } finally {
        await client.end();
      }
    };
    const [got, want] = await Promise.all([read(url), read(postgresUrl())]);
    expect(got).toHaveLength(3);
    expect(got[0]?.__time).toBeInstanceOf(Date);
    expect(got).toEqual(want);
  });

  describe('postgres.js', () => {
    const open = (connection: string) => postgres(connection, { max: 1, onnotice: () => undefined, connect_timeout: 10 });
    let gw: postgres.Sql;
    let twin: postgres.Sql;
    beforeAll(() => {
      gw = open(url);
      twin = open(postgresUrl());
    });
    afterAll(async () => {
      await Promise.all([gw.end(), twin.end()]);
    });

    it('runs tagged-template queries with parameters as named prepared statements', async () => {
      const run = (sql: postgres.Sql) => sql.unsafe(PARAMS_SQL, [404, 'mobile'], { prepare: true });
      const [first, second, want] = await Promise.all([run(gw), run(gw), run(twin)]);
      expect(first.length).toBe(5);
      expect([...first]).toEqual([...want]);
      expect([...second]).toEqual([...want]);
      const device = 'tablet';
      const tagged = await gw`SELECT count(*)::bigint AS n FROM events WHERE device = ${device}`;
      const twinTagged = await twin`SELECT count(*)::bigint AS n FROM events WHERE device = ${device}`;
      expect([...tagged]).toEqual([...twinTagged]);
    });

    it('decodes timestamptz, int8 and float8 like PostgreSQL', async () => {
      const sql = 'SELECT __time, session_key, latency_ms, referrer FROM events ORDER BY __time LIMIT 20';
      const [got, want] = await Promise.all([gw.unsafe(sql), twin.unsafe(sql)]);
      expect(got[0]?.__time).toBeInstanceOf(Date);
      expect([...got]).toEqual([...want]);
    });

    it('reads a cursor in batches of 1000 rows', async () => {
      const rows: unknown[] = [];
      let batches = 0;
      await gw.unsafe(MANY).values().cursor(1000, (batch) => {
        batches++;
        rows.push(...batch);
      });
      expect(batches).toBe(Math.ceil(expectedMany.length / 1000));
      expect(rows).toEqual(expectedMany.map((r) => [r[0], r[1], r[2]]));
    });
  });
});
