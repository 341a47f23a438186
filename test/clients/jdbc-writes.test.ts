/**
 * pgjdbc executeBatch into a Druid table through the gateway (docs/writes.md, "Batches"), and the
 * same batch into a table of the PostgreSQL twin: counts, sums and the failed batch compared.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { dropDatasource, overlordUrl, scratchName } from '../support/druid-writes.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';
import { runJdbc, type ProbeLine } from '../support/jdbc.js';

/** pgjdbc sends a Sync about every 256 Executes (so ~40 ingestion jobs of a few seconds each). */
const BATCH_TIMEOUT_MS = 900_000;
const ROWS = 10_000;
const COLUMNS = '__time, order_id, customer_id, amount, status';
const SUMMARY = `SELECT count(*) AS n, sum(order_id) AS ids, sum(customer_id) AS c, count(status) AS s, min(__time) AS lo, max(__time) AS hi, sum(amount) AS a FROM %t`;

const table = scratchName('w14jdbc');
const twin = scratchName('w14jdbc_twin');
let gateway: Gateway;
let client: pg.Client;
let twinClient: pg.Client;

/** The twin's JDBC URL and credentials from its postgresql:// URL. */
function twinJdbc(): { url: string; user: string; password: string } {
  const u = new URL(postgresUrl());
  return { url: `jdbc:postgresql://${u.hostname}:${u.port}${u.pathname}?sslmode=disable`, user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

const line = (lines: ProbeLine[], kind: string): ProbeLine | undefined => lines.find((l) => l.kind === kind);

async function summaries(): Promise<[Record<string, unknown>, Record<string, unknown>]> {
  const [mine, theirs] = await Promise.all([client.query(SUMMARY.replace('%t', table)), twinClient.query(SUMMARY.replace('%t', twin))]);
  return [mine.rows[0] as Record<string, unknown>, theirs.rows[0] as Record<string, unknown>];
}

beforeAll(async () => {
  gateway = await startTestGateway({ config: { writes: 'on', druidOverlordUrl: overlordUrl() } });
  client = new pg.Client(connectionString(gateway));
  await client.connect();
  twinClient = new pg.Client(postgresUrl());
  await twinClient.connect();
  await client.query(`CREATE TABLE ${table} AS SELECT ${COLUMNS} FROM orders WHERE order_id <= 10`);
  await twinClient.query(`CREATE TABLE ${twin} AS SELECT ${COLUMNS} FROM orders WHERE order_id <= 10`);
  // __time is NOT NULL in the gateway's catalog, as Druid's time column is never null.
  await twinClient.query(`ALTER TABLE ${twin} ALTER COLUMN __time SET NOT NULL`);
}, BATCH_TIMEOUT_MS);

afterAll(async () => {
  await client?.end();
  await gateway?.close();
  await twinClient?.query(`DROP TABLE IF EXISTS ${twin}`);
  await twinClient?.end();
  await dropDatasource(table);
});

describe('pgjdbc executeBatch on the Druid backend', () => {
  it(`${ROWS} rows land exactly as on PostgreSQL, one job per Sync pgjdbc sends`, async () => {
    const started = Date.now();
    const mine = await runJdbc(`jdbc:postgresql://127.0.0.1:${gateway.port}/druid?sslmode=disable`, 'tester', '', 'batch', `${table},${ROWS}`);
    const seconds = (Date.now() - started) / 1000;
    const t = twinJdbc();
    const theirs = await runJdbc(t.url, t.user, t.password, 'batch', `${twin},${ROWS}`);
    expect(mine.code, mine.stderr).toBe(0);
    expect(theirs.code, theirs.stderr).toBe(0);
    // One update count of 1 per row, as PostgreSQL answers.
    expect(line(mine.lines, 'batch')).toEqual({ kind: 'batch', count: ROWS, sum: ROWS });
    expect(line(mine.lines, 'batch')).toEqual(line(theirs.lines, 'batch'));
    const [a, b] = await summaries();
    const { a: myAmount, ...myRest } = a;
    const { a: twinAmount, ...twinRest } = b;
    expect(myRest).toEqual(twinRest);
    expect(Number(myAmount)).toBeCloseTo(Number(twinAmount), 6);
    expect(myRest.n).toBe(String(10 + ROWS));
    const jobs = await client.query("SELECT count(*) AS n FROM polaris.jobs WHERE table_name = $1 AND status = 'SUCCESS'", [table]);
    console.log(`pgjdbc executeBatch of ${ROWS} rows: ${seconds.toFixed(1)} s, ${Number(jobs.rows[0].n) - 1} ingestion jobs`);
    // Far fewer jobs than rows: each Sync's Executes are one job.
    expect(Number(jobs.rows[0].n)).toBeLessThan(ROWS / 100);
  }, BATCH_TIMEOUT_MS);

  it('a batch with a NULL __time fails as on PostgreSQL, and lands what PostgreSQL commits', async () => {
    const rows = 600;
    const bad = 400;
    const mine = await runJdbc(`jdbc:postgresql://127.0.0.1:${gateway.port}/druid?sslmode=disable`, 'tester', '', 'batch', `${table},${rows},${bad}`);
    const t = twinJdbc();
    const theirs = await runJdbc(t.url, t.user, t.password, 'batch', `${twin},${rows},${bad}`);
    expect(line(mine.lines, 'batchError')?.sqlstate).toBe('23502');
    expect(line(theirs.lines, 'batchError')?.sqlstate).toBe('23502');
    const [a, b] = await summaries();
    expect(a.n).toBe(b.n);
    expect(a.ids).toBe(b.ids);
  }, BATCH_TIMEOUT_MS);
});
