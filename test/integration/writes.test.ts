import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';
import { dropDatasource, overlordUrl, scratchName } from '../support/druid-writes.js';
import { psql } from '../support/psql.js';
import type { Gateway } from '../../src/server/gateway.js';

// Writes through the gateway on the real Druid (docs/writes.md), compared with the same rows
// written to a scratch table on the PostgreSQL twin. Each ingestion task takes seconds, so the
// suite runs five of them and checks everything else without ingesting.

/** Five ingestion tasks of a few seconds each, on a machine shared with other suites. */
const INGEST_TIMEOUT_MS = 300_000;
const table = scratchName('orders');
/** Enough rows for the staged-file path (past the inline limit). */
const COPY_ROWS = 20_000;
const twin = scratchName('twin');
const SELECT_COLUMNS = '__time, order_id, customer_id, amount, quantity, status';
const THREE_ROWS = "(TIMESTAMPTZ '2026-03-01 10:00:00+00', 900001, 12.5, 'new'), ('2026-03-02 11:30:00+00', 900002, -3.25, NULL), ('2026-03-03', 900003, 0, 'x')";

let gateway: Gateway;
let client: pg.Client;
let twinClient: pg.Client;
const notices: Array<{ code: string | undefined; message: string }> = [];
/** IDs of the tasks the NOTICEs named, in order. */
const submitted: string[] = [];

async function error(c: pg.Client, sql: string): Promise<{ code?: string; message: string }> {
  try {
    await c.query(sql);
  } catch (err) {
    const e = err as { code?: string; message: string };
    return e.code === undefined ? { message: e.message } : { code: e.code, message: e.message };
  }
  throw new Error(`no error from ${sql}`);
}

beforeAll(async () => {
  gateway = await startTestGateway({ config: { writes: 'on', druidOverlordUrl: overlordUrl() } });
  client = new pg.Client(connectionString(gateway));
  client.on('notice', (n) => {
    notices.push({ code: n.code, message: n.message ?? '' });
    const id = /^ingestion task (\S+) submitted/.exec(n.message ?? '')?.[1];
    if (id !== undefined) submitted.push(id);
  });
  await client.connect();
  twinClient = new pg.Client(postgresUrl());
  await twinClient.connect();
});

afterAll(async () => {
  await client?.end();
  await gateway?.close();
  await twinClient?.query(`DROP TABLE IF EXISTS ${twin}`);
  await twinClient?.end();
  await dropDatasource(table);
});

describe('writes on the Druid backend', () => {
  it('CREATE TABLE AS SELECT, INSERT VALUES, INSERT SELECT and a parameterized INSERT land exactly as on PostgreSQL', async () => {
    const created = await client.query(`CREATE TABLE ${table} AS SELECT ${SELECT_COLUMNS} FROM orders WHERE order_id <= 40`);
    await twinClient.query(`CREATE TABLE ${twin} AS SELECT ${SELECT_COLUMNS} FROM orders WHERE order_id <= 40`);
    expect([created.command, created.rowCount]).toEqual(['SELECT', 40]);
    expect(notices.some((n) => /^ingestion task polaris-pg_index_parallel_wtest_orders_\S+ submitted: 40 rows/.test(n.message))).toBe(true);
    // The catalog shows the new table at once.
    const listed = await client.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`);
    expect(listed.rows.map((r: { column_name: string }) => r.column_name).sort()).toEqual(['__time', 'amount', 'customer_id', 'order_id', 'quantity', 'status']);

    const values = `INSERT INTO %t (__time, order_id, amount, status) VALUES ${THREE_ROWS}`;
    const inserted = await client.query(values.replace('%t', table));
    await twinClient.query(values.replace('%t', twin));
    expect([inserted.command, inserted.rowCount]).toEqual(['INSERT', 3]);

    const fromSelect = `INSERT INTO %t SELECT ${SELECT_COLUMNS} FROM orders WHERE order_id > 40 AND order_id <= 75`;
    const selected = await client.query(fromSelect.replace('%t', table));
    await twinClient.query(fromSelect.replace('%t', twin));
    expect([selected.command, selected.rowCount]).toEqual(['INSERT', 35]);

    const parameterized = `INSERT INTO %t (__time, order_id, quantity, amount) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)`;
    const params = ['2026-04-01 00:00:00.125+00', '910001', '7', '1.5', '2026-04-02 08:00:00+02', 910002, null, 2];
    const bound = await client.query(parameterized.replace('%t', table), params);
    await twinClient.query(parameterized.replace('%t', twin), params);
    expect([bound.command, bound.rowCount]).toEqual(['INSERT', 2]);

    const summary = `SELECT count(*) AS n, sum(order_id) AS ids, sum(quantity) AS q, count(status) AS s, min(__time) AS lo, max(__time) AS hi, sum(amount) AS amount FROM %t`;
    const [mine, theirs] = await Promise.all([client.query(summary.replace('%t', table)), twinClient.query(summary.replace('%t', twin))]);
    // Sums of doubles may differ in the last bits with the order of addition.
    const { amount: myAmount, ...myRest } = mine.rows[0] as Record<string, unknown>;
    const { amount: twinAmount, ...twinRest } = theirs.rows[0] as Record<string, unknown>;
    expect(myRest).toEqual(twinRest);
    expect(Number(myAmount)).toBeCloseTo(Number(twinAmount), 6);
    expect(mine.rows[0].n).toBe('80');
  }, INGEST_TIMEOUT_MS);

  it('refuses bad input as PostgreSQL does, before anything is sent', async () => {
    const col = (sql: string): string => sql.replace('%t', table);
    expect(await error(client, col("INSERT INTO %t (__time, order_id) VALUES (now(), 'abc')"))).toMatchObject({ code: '0A000' });
    expect(await error(client, col("INSERT INTO %t (__time, order_id) VALUES ('2026-01-01', 'abc')"))).toEqual({
      code: '22P02',
      message: 'invalid input syntax for type bigint: "abc"',
    });
    expect(await error(client, col("INSERT INTO %t (__time, order_id) VALUES ('2026-01-01', 9223372036854775808)"))).toEqual({ code: '22003', message: 'bigint out of range' });
    expect(await error(client, col('INSERT INTO %t (order_id) VALUES (1)'))).toEqual({
      code: '23502',
      message: `null value in column "__time" of relation "${table}" violates not-null constraint`,
    });
    expect(await error(client, col("INSERT INTO %t (__time, nope) VALUES ('2026-01-01', 1)"))).toEqual({
      code: '42703',
      message: `column "nope" of relation "${table}" does not exist`,
    });
    expect(await error(client, "INSERT INTO wtest_no_such_table VALUES ('2026-01-01')")).toEqual({ code: '42P01', message: 'relation "wtest_no_such_table" does not exist' });
    expect(await error(client, col('CREATE TABLE %t AS SELECT __time FROM orders'))).toEqual({ code: '42P07', message: `relation "${table}" already exists` });
    expect(await error(client, 'CREATE TABLE wtest_plain (__time timestamptz, a bigint)')).toMatchObject({ code: '0A000', message: 'CREATE TABLE is not supported by polaris-pg' });
    expect(await error(client, 'CREATE TABLE wtest_notime AS SELECT order_id FROM orders')).toMatchObject({ code: '0A000' });
    await client.query('SET polaris.copy_target = stream');
    expect(await error(client, col('COPY %t FROM STDIN'))).toMatchObject({ code: '0A000', message: 'SET polaris.copy_target = stream on the Druid backend is not supported by polaris-pg' });
    await client.query('RESET polaris.copy_target');
    for (const sql of [`UPDATE ${table} SET amount = 0`, `DELETE FROM ${table}`, `TRUNCATE ${table}`, `DROP TABLE ${table}`]) {
      expect(await error(client, sql)).toMatchObject({ code: '0A000' });
    }
    notices.length = 0;
    const skipped = await client.query(col('CREATE TABLE IF NOT EXISTS %t AS SELECT __time FROM orders'));
    expect(skipped.command).toBe('CREATE');
    expect(notices).toEqual([{ code: '42P07', message: `relation "${table}" already exists, skipping` }]);
    // A transaction block may hold one write: ingestion cannot be rolled back.
    await client.query('BEGIN');
    await client.query(col('CREATE TABLE IF NOT EXISTS %t AS SELECT __time FROM orders'));
    expect(await error(client, col("INSERT INTO %t (__time) VALUES ('2026-01-01')"))).toMatchObject({ code: '0A000' });
    await client.query('ROLLBACK');
    expect((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n).toBe('80');
  }, INGEST_TIMEOUT_MS);

  it('COPY FROM STDIN (CSV, HEADER) of 20,000 rows lands as on PostgreSQL; a short line fails the whole COPY with its line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wtest-copy-'));
    try {
      const lines = ['__time,order_id,customer_id,amount,quantity,status'];
      for (let i = 1; i <= COPY_ROWS; i++) {
        const when = new Date(Date.UTC(2026, 4, 1 + (i % 20), i % 24, i % 60, i % 60, i % 1000)).toISOString();
        const status = i % 1000 === 0 ? '"a,""b"' : i % 3 === 0 ? '' : `s${i % 5}`;
        lines.push(`${when},${1_000_000 + i},${i % 97},${(i * 0.25).toFixed(2)},${i % 7 === 0 ? '' : i % 11},${status}`);
      }
      const good = join(dir, 'good.csv');
      await writeFile(good, `${lines.join('\n')}\n`);
      const copy = (t: string, file: string): string => `\\copy ${t} (__time, order_id, customer_id, amount, quantity, status) FROM '${file}' CSV HEADER`;
      const mine = await psql(connectionString(gateway), ['-v', 'QUIET=off', '-c', copy(table, good)]);
      expect(mine.stderr).not.toContain('ERROR');
      expect(mine.stderr).toMatch(/NOTICE: {2}ingestion task polaris-pg_index_parallel_wtest_orders_\S+ submitted: 20000 rows/);
      expect(mine.stdout.trim()).toBe(`COPY ${COPY_ROWS}`);
      submitted.push(/ingestion task (\S+) submitted/.exec(mine.stderr)?.[1] ?? 'no task');
      await psql(postgresUrl(), ['-c', copy(twin, good)]);

      const bad = join(dir, 'bad.csv');
      const broken = [...lines];
      broken[5000] = '2026-05-01T00:00:00Z,1,2';
      await writeFile(bad, `${broken.join('\n')}\n`);
      const failed = await psql(connectionString(gateway), ['-c', copy(table, bad)]);
      expect(failed.stderr).toContain('ERROR:  missing data for column "amount"');
      expect(failed.stderr).toContain('CONTEXT:  COPY ' + table + ', line 5001: "2026-05-01T00:00:00Z,1,2"');

      const summary = `SELECT count(*) AS n, sum(order_id) AS ids, sum(quantity) AS q, count(status) AS s, count(DISTINCT status) AS ds, min(__time) AS lo, max(__time) AS hi FROM %t`;
      const [a, b] = await Promise.all([client.query(summary.replace('%t', table)), twinClient.query(summary.replace('%t', twin))]);
      expect(a.rows[0]).toEqual(b.rows[0]);
      expect(a.rows[0].n).toBe(String(80 + COPY_ROWS));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, INGEST_TIMEOUT_MS);

  it('polaris.jobs shows each of these jobs with its final status, read from the Overlord at query time', async () => {
    // CREATE TABLE AS, INSERT VALUES, INSERT SELECT, the parameterized INSERT and the COPY; the failed COPY submitted nothing.
    expect(submitted).toHaveLength(5);
    // Extended protocol (a parameter): the portal runs at Bind, after the views were filled.
    const jobs = await client.query('SELECT id, type, table_name, status, message, duration_ms >= 0 AS timed FROM polaris.jobs WHERE table_name = $1 ORDER BY created_at', [table]);
    expect(jobs.rows).toEqual(submitted.map((id) => ({ id, type: 'index_parallel', table_name: table, status: 'SUCCESS', message: null, timed: true })));
    // psql's \\dv lists the view (simple protocol).
    const listed = await psql(connectionString(gateway), ['-At', '-c', '\\dv polaris.*']);
    expect(listed.stdout.trim()).toMatch(/^polaris\|jobs\|view\|/);
    const counted = await psql(connectionString(gateway), ['-At', '-c', `SELECT count(*) FROM polaris.jobs WHERE status = 'SUCCESS' AND table_name = '${table}'`]);
    expect(counted.stdout.trim()).toBe('5');
  }, INGEST_TIMEOUT_MS);

  it('with writes off, a write is 25006 and the session says it is read-only', async () => {
    const readOnly = await startTestGateway({ config: { druidOverlordUrl: overlordUrl() } });
    const c = new pg.Client(connectionString(readOnly));
    await c.connect();
    try {
      expect((await c.query('SHOW default_transaction_read_only')).rows).toEqual([{ default_transaction_read_only: 'on' }]);
      expect(await error(c, "INSERT INTO orders (__time) VALUES ('2026-01-01')")).toEqual({ code: '25006', message: 'cannot execute INSERT in a read-only transaction' });
      expect(await error(c, 'UPDATE orders SET amount = 0')).toEqual({ code: '25006', message: 'cannot execute UPDATE in a read-only transaction' });
      expect(await error(c, 'CREATE TABLE wtest_x AS SELECT * FROM orders')).toEqual({ code: '25006', message: 'cannot execute CREATE TABLE AS in a read-only transaction' });
      expect(await error(c, 'INSERT INTO wtest_no_such_table VALUES (1)')).toMatchObject({ code: '42P01' });
      // The management views exist with writes on only.
      expect(await error(c, 'SELECT * FROM polaris.jobs')).toEqual({ code: '42P01', message: 'relation "polaris.jobs" does not exist' });
    } finally {
      await c.end();
      await readOnly.close();
    }
  });
});
