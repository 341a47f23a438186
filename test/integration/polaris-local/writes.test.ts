import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { dropDatasource, scratchName } from '../../support/druid-writes.js';
import { connectionString, druidUrl, postgresUrl, startTestGateway } from '../../support/gateway.js';
import { call, overlordUrl, startTestPolarisLocal, TEST_API_KEY } from '../../support/polaris-local.js';
import { psql } from '../../support/psql.js';

// Writes on the Polaris backend (docs/writes.md, "Polaris"): the gateway in Polaris mode in front
// of polaris-local on the real Druid, compared with the same rows on the PostgreSQL twin.

/** Three ingestion jobs of up to a minute each on a machine shared with other suites. */
const INGEST_TIMEOUT_MS = 420_000;
/** psql's \\copy of the 100,000 rows waits for their ingestion job (psql()'s default limit is 60 s). */
const COPY_TIMEOUT_MS = 300_000;
const COPY_ROWS = 100_000;
const table = scratchName('orders', 'pwtest');
const COLUMNS = '__time timestamptz, order_id bigint, customer_id integer, amount double precision, status text';

let local: PolarisLocal;
let gateway: Gateway;
let client: pg.Client;
const notices: Array<{ code: string | undefined; message: string }> = [];

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
  local = await startTestPolarisLocal({ druidUrl: druidUrl(), overlordUrl: overlordUrl(druidUrl()) });
  gateway = await startTestGateway({ config: { druidUrl: undefined, polarisUrl: local.url, project: local.projectId, polarisApiKey: TEST_API_KEY, writes: 'on' } });
  client = new pg.Client(connectionString(gateway));
  client.on('notice', (n) => notices.push({ code: n.code, message: n.message ?? '' }));
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await gateway?.close();
  await local?.close();
  await dropDatasource(table);
});

describe('writes on the Polaris backend through polaris-local', () => {
  it('CREATE TABLE declares a Polaris table through the Tables API, with PostgreSQL types as Polaris data types', async () => {
    const created = await client.query(`CREATE TABLE ${table} (${COLUMNS}) WITH (type = detail, partitioning = day, schema_mode = strict, clustering = 'status')`);
    expect(created.command).toBe('CREATE');
    const described = await call(local, 'GET', `/tables/${table}`);
    expect(described.body).toMatchObject({
      name: table,
      type: 'detail',
      schemaMode: 'strict',
      partitioningGranularity: 'day',
      clusteringColumns: ['status'],
      schema: [
        { name: 'order_id', dataType: 'long' },
        { name: 'customer_id', dataType: 'long' },
        { name: 'amount', dataType: 'double' },
        { name: 'status', dataType: 'string' },
      ],
    });
    notices.length = 0;
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (${COLUMNS})`);
    expect(notices).toEqual([{ code: '42P07', message: `relation "${table}" already exists, skipping` }]);
    expect(await error(client, `CREATE TABLE ${table} (${COLUMNS})`)).toEqual({ code: '42P07', message: `relation "${table}" already exists` });
    expect(await error(client, `CREATE TABLE ${table}_j (__time timestamptz, doc jsonb)`)).toMatchObject({ code: '0A000', message: 'column "doc" of type jsonb cannot be declared in a Polaris table by polaris-pg' });
    expect(await error(client, `CREATE TABLE ${table}_o (__time timestamptz) WITH (type = wide)`)).toEqual({ code: '22023', message: 'invalid value for enum option "type": wide' });
    expect(await error(client, `CREATE TABLE ${table}_o (__time timestamptz) WITH (colour = 'red')`)).toEqual({ code: '22023', message: 'unrecognized parameter "colour"' });
    expect((await call(local, 'GET', `/tables/${table}_j`)).status).toBe(404);
  });

  it('refuses bad rows and existing names before any job, the new empty table included', async () => {
    expect(await error(client, `INSERT INTO ${table} (__time, order_id) VALUES ('2026-01-01', 'abc')`)).toEqual({ code: '22P02', message: 'invalid input syntax for type bigint: "abc"' });
    expect(await error(client, `INSERT INTO ${table} (order_id) VALUES (1)`)).toEqual({ code: '23502', message: `null value in column "__time" of relation "${table}" violates not-null constraint` });
    expect(await error(client, `INSERT INTO ${table} (__time, nope) VALUES ('2026-01-01', 1)`)).toEqual({ code: '42703', message: `column "nope" of relation "${table}" does not exist` });
    expect(await error(client, "INSERT INTO pwtest_no_such_table VALUES ('2026-01-01')")).toEqual({ code: '42P01', message: 'relation "pwtest_no_such_table" does not exist' });
    expect(await error(client, `CREATE TABLE ${table} AS SELECT __time FROM orders`)).toEqual({ code: '42P07', message: `relation "${table}" already exists` });
    notices.length = 0;
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} AS SELECT __time FROM orders`);
    expect(notices).toEqual([{ code: '42P07', message: `relation "${table}" already exists, skipping` }]);
    const jobs = (await call(local, 'GET', '/jobs')).body as { values: Array<{ target: { tableName: string } }> };
    expect(jobs.values.filter((j) => j.target.tableName === table)).toEqual([]);
  });

  it('INSERT VALUES into the new empty table, \\copy of 100,000 CSV rows and INSERT ... SELECT land as on PostgreSQL', async () => {
    notices.length = 0;
    const inserted = await client.query(`INSERT INTO ${table} VALUES ('2026-03-01 10:00:00+00', 900001, 12, 12.5, 'new'), ('2026-03-02 11:30:00+00', 900002, 7, -3.25, NULL), ('2026-03-03', 900003, 1, 0, 'x')`);
    expect([inserted.command, inserted.rowCount]).toEqual(['INSERT', 3]);
    expect(notices.map((n) => n.message)).toContainEqual(expect.stringMatching(new RegExp(`^ingestion task [0-9a-f-]{36} submitted: 3 rows into "${table}"$`)));

    const dir = await mkdtemp(join(tmpdir(), 'pwtest-copy-'));
    try {
      const lines = ['__time,order_id,customer_id,amount,status'];
      for (let i = 1; i <= COPY_ROWS; i++) {
        const when = new Date(Date.UTC(2026, 4, 1 + (i % 20), i % 24, i % 60, i % 60, i % 1000)).toISOString();
        const status = i % 1000 === 0 ? '"a,""b"' : i % 3 === 0 ? '' : `s${i % 5}`;
        lines.push(`${when},${1_000_000 + i},${i % 97},${(i * 0.25).toFixed(2)},${status}`);
      }
      const file = join(dir, 'rows.csv');
      await writeFile(file, `${lines.join('\n')}\n`);
      const copy = (t: string): string => `\\copy ${t} (__time, order_id, customer_id, amount, status) FROM '${file}' CSV HEADER`;
      const mine = await psql(connectionString(gateway), ['-v', 'QUIET=off', '-c', copy(table)], undefined, {}, COPY_TIMEOUT_MS);
      expect(mine.stderr).not.toContain('ERROR');
      expect(mine.stdout.trim()).toBe(`COPY ${COPY_ROWS}`);

      const summary = (t: string): string =>
        `SELECT count(*) AS n, sum(order_id) AS ids, sum(customer_id) AS c, sum(amount) AS a, count(status) AS s, min(__time) AS lo, max(__time) AS hi FROM ${t} WHERE order_id >= 1000000`;
      const onTwin = await psql(postgresUrl(), ['-A', '-t', '-c', `CREATE TEMP TABLE t (${COLUMNS})`, '-c', copy('t'), '-c', 'SET TimeZone = UTC', '-c', summary('t')]);
      const twinRow = onTwin.stdout.trim().split('\n').at(-1);
      const gatewayRow = await psql(connectionString(gateway), ['-A', '-t', '-c', 'SET TimeZone = UTC', '-c', summary(table)]);
      expect(gatewayRow.stdout.trim().split('\n').at(-1)).toBe(twinRow);
      expect(twinRow?.startsWith(`${COPY_ROWS}|`)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const twin = new pg.Client(postgresUrl());
    await twin.connect();
    try {
      const fixture = "SELECT __time, order_id, customer_id, amount, status FROM orders WHERE status <> 'cancelled'";
      const expected = Number((await twin.query(`SELECT count(*) AS n FROM (${fixture}) q`)).rows[0].n);
      const selected = await client.query(`INSERT INTO ${table} ${fixture}`);
      expect([selected.command, selected.rowCount]).toEqual(['INSERT', expected]);
      expect((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n).toBe(String(3 + COPY_ROWS + expected));
    } finally {
      await twin.end();
    }
  }, INGEST_TIMEOUT_MS);

  it('polaris.jobs shows the three batch jobs with their final status, read from the Jobs API at query time', async () => {
    const jobs = await client.query('SELECT type, status, health, message FROM polaris.jobs WHERE table_name = $1', [table]);
    // INSERT VALUES, \copy and INSERT ... SELECT (CREATE TABLE went to the Tables API: no job).
    expect(jobs.rows).toEqual(Array.from({ length: 3 }, () => ({ type: 'batch', status: 'completed', health: 'ok', message: null })));
    // The first catalog query of the gateway may start the catalog engine (seconds under load).
  }, INGEST_TIMEOUT_MS);

  it('sent only requests the OpenAPI document allows, each answered as it declares (validation mode)', () => {
    expect(local.validation?.problems).toEqual([]);
    expect(local.validation?.seen.get('POST /v1/projects/{projectId}/tables 201')).toBeGreaterThan(0);
  });
});
