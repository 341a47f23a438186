import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { dropDatasource, scratchName } from '../../support/druid-writes.js';
import { connectionString, druidUrl, postgresUrl, startTestGateway } from '../../support/gateway.js';
import { call, overlordUrl, startTestPolarisLocal, TEST_API_KEY } from '../../support/polaris-local.js';
import { psql } from '../../support/psql.js';

// CREATE TABLE AS on Polaris, then COPY through the table's push-streaming connection
// (docs/writes.md, "Push streaming") with polaris-local's events rate limit low enough that the
// second events request is refused with 429 and retried.

/** One CTAS job, a 60 s rate-limit window and the streaming job's tasks, on shared cores. */
const TIMEOUT_MS = 420_000;
const COPY_ROWS = 20_000;
/** Below COPY_ROWS: the first 1 MB request passes, the second is refused until the minute has passed. */
const EVENTS_PER_MINUTE = 15_000;
const table = scratchName('stream', 'pwtest');
const FIXTURE = 'SELECT __time, order_id, customer_id, amount, status FROM orders WHERE order_id <= 40';

let local: PolarisLocal;
let gateway: Gateway;

beforeAll(async () => {
  local = await startTestPolarisLocal({ druidUrl: druidUrl(), overlordUrl: overlordUrl(druidUrl()), eventsPerMinute: EVENTS_PER_MINUTE });
  gateway = await startTestGateway({ config: { druidUrl: undefined, polarisUrl: local.url, project: local.projectId, polarisApiKey: TEST_API_KEY, writes: 'on' } });
});

afterAll(async () => {
  await gateway?.close();
  await local?.close();
  await dropDatasource(table);
});

describe('COPY through a push-streaming connection on Polaris', () => {
  it('CREATE TABLE AS, then 20,000 COPY rows pushed with a 429 retried land exactly once', async () => {
    const created = await psql(connectionString(gateway), ['-v', 'QUIET=off', '-c', `CREATE TABLE ${table} AS ${FIXTURE}`]);
    expect(created.stderr).not.toContain('ERROR');
    expect(created.stdout.trim()).toBe('SELECT 40');

    const dir = await mkdtemp(join(tmpdir(), 'pwtest-stream-'));
    try {
      const lines = ['__time,order_id,customer_id,amount,status'];
      for (let i = 1; i <= COPY_ROWS; i++) {
        const when = new Date(Date.UTC(2026, 6, 1 + (i % 10), i % 24, i % 60, i % 60, i % 1000)).toISOString();
        lines.push(`${when},${2_000_000 + i},${i % 89},${(i * 0.5).toFixed(1)},${i % 4 === 0 ? '' : `t${i % 6}`}`);
      }
      const file = join(dir, 'rows.csv');
      await writeFile(file, `${lines.join('\n')}\n`);
      const copy = (t: string): string => `\\copy ${t} (__time, order_id, customer_id, amount, status) FROM '${file}' CSV HEADER`;
      const pushed = await psql(connectionString(gateway), ['-v', 'QUIET=off', '-c', 'SET polaris.copy_target = stream', '-c', copy(table)], undefined, {}, TIMEOUT_MS);
      expect(pushed.stderr).not.toContain('ERROR');
      expect(pushed.stderr).toMatch(/NOTICE: {2}created push-streaming connection polaris-pg\.pwtest_stream_\w+\.[0-9a-f]{8} with its streaming job: 20000 rows/);
      expect(pushed.stderr).toMatch(/NOTICE: {2}Polaris rate limit \(HTTP 429\) on connection \S+: retrying in 1 s/);
      expect(pushed.stdout.trim()).toBe(`SET\nCOPY ${COPY_ROWS}`);

      const summary = (t: string): string => `SELECT count(*) AS n, sum(order_id) AS ids, sum(customer_id) AS c, sum(amount) AS a, count(status) AS s, min(__time) AS lo, max(__time) AS hi FROM ${t}`;
      const columns = '__time timestamptz, order_id bigint, customer_id bigint, amount double precision, status text';
      const onTwin = await psql(postgresUrl(), ['-A', '-t', '-c', `CREATE TEMP TABLE t (${columns})`, '-c', `INSERT INTO t ${FIXTURE}`, '-c', copy('t'), '-c', 'SET TimeZone = UTC', '-c', summary('t')]);
      const twinRow = onTwin.stdout.trim().split('\n').at(-1);
      const gatewayRow = await psql(connectionString(gateway), ['-A', '-t', '-c', 'SET TimeZone = UTC', '-c', summary(table)]);
      expect(gatewayRow.stdout.trim().split('\n').at(-1)).toBe(twinRow);
      expect(twinRow?.startsWith(`${40 + COPY_ROWS}|`)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const connections = (await call(local, 'GET', '/connections')).body as { values: Array<{ name: string }> };
    expect(connections.values.filter((c) => c.name.includes(table))).toHaveLength(1);
    // Validation mode: every request the gateway sent (the events pushes and their 429 included) conforms.
    expect(local.validation?.problems).toEqual([]);
    expect(local.validation?.seen.get('POST /v1/projects/{projectId}/events/{connectionName} 429')).toBeGreaterThan(0);
  }, TIMEOUT_MS);
});
