import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';
import { textClient } from '../support/pg.js';

/**
 * Timestamps around DST transitions and timestamps as text, compared with PostgreSQL byte for
 * byte: type OIDs, text and binary values. The fixtures hold orders in the repeated hour of the 2025 fall-back in Berlin
 * (2025-10-26 00:00Z-02:00Z) and New York (2025-11-02 05:00Z-07:00Z).
 */

interface Answer {
  types: number[];
  rows: unknown[][];
}

async function answer(client: pg.Client, sql: string, binary: boolean, values: unknown[] = []): Promise<Answer> {
  // node-postgres' `binary` option asks for binary result columns (not in its typings).
  const config = { text: sql, values, binary, rowMode: 'array' } as unknown as pg.QueryArrayConfig;
  const result = await client.query(config);
  const hex = (v: unknown): unknown => (Buffer.isBuffer(v) ? v.toString('hex') : v);
  return { types: result.fields.map((f) => f.dataTypeID), rows: result.rows.map((row: unknown[]) => row.map(hex)) };
}

const CASES: ReadonlyArray<readonly [zone: string, sql: string]> = [
  ['Europe/Berlin', "SELECT __time, order_id FROM orders WHERE __time BETWEEN '2025-10-26 00:00:00+00' AND '2025-10-26 01:59:59+00' ORDER BY order_id"],
  ['Europe/Berlin', "SELECT count(*) FROM orders WHERE __time >= '2025-10-26 02:30:00' AND __time < timestamptz '2025-10-26 03:00:00'"],
  ['Europe/Berlin', "SELECT date_trunc('hour', __time) AS h, count(*) FROM orders WHERE __time >= '2025-10-25 23:00:00+00' AND __time < '2025-10-26 03:00:00+00' GROUP BY 1 ORDER BY 1"],
  ['Europe/Berlin', "SELECT date_trunc('day', __time) AS d, count(*) FROM orders WHERE __time >= '2025-10-25' AND __time < '2025-10-28' GROUP BY 1 ORDER BY 1"],
  ['Europe/Berlin', "SELECT __time::timestamp AS wall, __time FROM orders WHERE __time >= '2025-10-26 00:00:00+00' AND __time < '2025-10-26 02:00:00+00' ORDER BY 2"],
  ['Europe/Berlin', "SELECT min(__time) AS first, max(__time)::timestamp AS last FROM orders WHERE __time >= '2025-03-30 00:00:00+00' AND __time < '2025-03-30 02:00:00+00'"],
  ['America/New_York', "SELECT __time, date_trunc('hour', __time) AS h FROM orders WHERE __time >= '2025-11-02 05:00:00+00' AND __time < '2025-11-02 07:00:00+00' ORDER BY 1"],
  ['America/New_York', "SELECT order_id FROM orders WHERE __time IN ('2025-11-02 01:09:36.965-05', '2025-11-02 01:17:31.062')"],
  ['America/New_York', "SELECT order_id FROM orders WHERE __time > '2025-11-02 01:09:36.965' AND __time <= '2025-11-02 06:42:46.65+00'"],
  ['America/New_York', 'SELECT * FROM orders WHERE order_id < 4 ORDER BY order_id'],
  ['Europe/Berlin', "SELECT CAST(__time AS text) AS t, __time::timestamp::text AS w, 'at ' || __time AS c FROM orders WHERE __time >= '2025-10-26 00:00:00+00' AND __time < '2025-10-26 02:00:00+00' ORDER BY __time"],
  ['UTC', 'SELECT CAST(__time AS text) AS t, CAST(__time::timestamp AS text) AS w FROM orders WHERE order_id < 6 ORDER BY order_id'],
  ['Asia/Kolkata', "SELECT concat('first ', min(__time)) AS c, max(__time)::text AS m FROM orders"],
];

describe('timestamps around DST transitions', () => {
  let gateway: Gateway;
  let postgres: pg.Client;
  let through: pg.Client;
  beforeAll(async () => {
    gateway = await startTestGateway();
    postgres = textClient(postgresUrl());
    through = textClient(connectionString(gateway));
    await Promise.all([postgres.connect(), through.connect()]);
  });
  afterAll(async () => {
    await Promise.allSettled([postgres?.end(), through?.end()]);
    await gateway?.close();
  });

  it.each(CASES)('in %s: %s', async (zone, sql) => {
    for (const client of [postgres, through]) await client.query(`SET TimeZone = '${zone}'`);
    for (const binary of [false, true]) {
      const expected = await answer(postgres, sql, binary);
      expect(expected.rows.length).toBeGreaterThan(0);
      expect(await answer(through, sql, binary)).toEqual(expected);
    }
  });

  it('binds timestamp parameters of the repeated hour as instants', async () => {
    const sql = 'SELECT order_id, __time FROM orders WHERE __time >= $1 AND __time < $2 ORDER BY order_id';
    const cases = [
      ['2025-10-26 00:00:00+00', '2025-10-26 02:00:00+00'],
      ['2025-10-26 02:30:00', '2025-10-26 02:59:59+01'],
    ];
    for (const client of [postgres, through]) await client.query("SET TimeZone = 'Europe/Berlin'");
    for (const values of cases) {
      const expected = await answer(postgres, sql, false, values);
      expect(expected.rows.length).toBeGreaterThan(0);
      expect(await answer(through, sql, false, values)).toEqual(expected);
    }
  });
});
