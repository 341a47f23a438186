/**
 * psql paths not covered by test/integration/psql.test.ts: `\copy (SELECT ...) TO STDOUT` in CSV and
 * text formats (COPY ... TO STDOUT in the session layer), compared byte for byte with the PostgreSQL
 * twin, and Ctrl-C: SIGINT makes psql send a CancelRequest, the gateway answers 57014 and DELETEs the
 * running Druid query (a fake slow Druid).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { queryText } from '../support/fake-schema.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';
import { slowRows, useFakeGateway } from '../support/fake-gateway.js';
import { psql } from '../support/psql.js';

describe('psql \\copy against the gateway on Druid', () => {
  let gateway: Gateway;
  let url: string;
  beforeAll(async () => {
    gateway = await startTestGateway();
    url = `${connectionString(gateway)}?sslmode=disable`;
  });
  afterAll(async () => {
    await gateway.close();
  });

  const copies = [
    ['CSV with NULL and empty strings', "\\copy (SELECT order_id, status, coupon, amount FROM orders WHERE order_id <= 50 ORDER BY __time) TO STDOUT WITH CSV"],
    ['CSV with a header and quoting', '\\copy (SELECT city, count(*) AS n FROM events GROUP BY city ORDER BY city) TO STDOUT WITH (FORMAT csv, HEADER)'],
    ['text format with \\N', "\\copy (SELECT referrer, count(*) AS n FROM events GROUP BY referrer ORDER BY referrer) TO STDOUT"],
    ['CSV of a scan with timestamptz', "\\copy (SELECT __time, \"country\", \"sessionLength\" FROM \"Koalas to the Max\" ORDER BY __time LIMIT 100) TO STDOUT WITH CSV"],
  ] as const;

  it.each(copies)('\\copy %s matches PostgreSQL byte for byte', async (_name, command) => {
    const env = { PGTZ: 'UTC' };
    const [actual, expected] = await Promise.all([psql(url, [], `${command}\n`, env), psql(postgresUrl(), [], `${command}\n`, env)]);
    expect(actual.stderr).toBe('');
    expect(expected.stderr).toBe('');
    expect(actual.stdout.length).toBeGreaterThan(0);
    expect(actual.stdout).toBe(expected.stdout);
  });
});

describe('psql describe commands against the gateway on Druid (catalog)', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => {
    await gateway.close();
  });

  it.each(['\\dt', '\\d events', '\\d "Koalas to the Max"'])('%s prints what PostgreSQL prints', async (command) => {
    const url = `${connectionString(gateway)}?sslmode=disable`;
    const [actual, expected] = await Promise.all([psql(url, ['-c', command]), psql(postgresUrl(), ['-c', command])]);
    expect(actual.stderr).toBe('');
    expect(actual.stdout).toMatch(/\bevents\b|__time/);
    expect(actual.stdout).toBe(expected.stdout);
  });
});

describe('psql Ctrl-C cancels the running query', () => {
  const slow = useFakeGateway({ scenario: slowRows });

  it('SIGINT sends CancelRequest: 57014, and the Druid query is DELETEd', async () => {
    const child = spawn('psql', ['-X', '-v', 'VERBOSITY=verbose', `${connectionString(slow.gateway)}?sslmode=disable`, '-c', 'SELECT * FROM t'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    while (!slow.fake.requests.some((r) => queryText(r).includes('FROM "t"'))) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(stderr).toContain('Cancel request sent');
    expect(stderr).toContain('ERROR:  57014: canceling statement due to user request');
    await slow.fake.waitForDeletes(1);
    const id = (slow.fake.requests.find((r) => queryText(r).includes('FROM "t"'))?.body as { context: { sqlQueryId: string } }).context.sqlQueryId;
    expect(slow.fake.deletes).toContain(id);
  });
});
