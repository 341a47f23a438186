/**
 * Rust's drivers, tokio-postgres (extended protocol, binary results, query_raw streaming, CancelToken)
 * and sqlx (runtime query_as, its per-connection statement cache): the probe (test/clients/rust,
 * built by test/clients/provision) runs against the gateway on the real Druid and against the
 * PostgreSQL twin, and the outputs must match.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { line, runRust, type RunResult } from '../support/clients.js';
import { slowRows, useFakeGateway } from '../support/fake-gateway.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';

/** A native binary, but the gateway side waits on Druid: generous on a busy 2-core machine. */
const PROBE_TIMEOUT_MS = 90_000;

function queryText(request: { body: unknown }): string {
  return (request.body as { query?: string } | undefined)?.query ?? '';
}

describe('tokio-postgres and sqlx against the gateway on Druid', { timeout: PROBE_TIMEOUT_MS }, () => {
  let gateway: Gateway;
  let url: string;
  beforeAll(async () => {
    gateway = await startTestGateway();
    url = `${connectionString(gateway)}?sslmode=disable`;
  });
  afterAll(async () => {
    await gateway.close();
  });

  const both = (driver: 'tokio-postgres' | 'sqlx', scenario: string): Promise<[RunResult, RunResult]> =>
    Promise.all([runRust(driver, url, scenario), runRust(driver, `${postgresUrl()}?sslmode=disable`, scenario)]);

  it.each(['prepared', 'types', 'stream'])('tokio-postgres %s equals the twin', async (scenario) => {
    const [gw, pg] = await both('tokio-postgres', scenario);
    expect(gw.stderr).toBe('');
    expect(gw.code).toBe(0);
    expect(gw.lines.length).toBeGreaterThan(0);
    expect(gw.lines).toEqual(pg.lines);
  });

  it('tokio-postgres prepare reports the typed parameters and columns', async () => {
    const gw = await runRust('tokio-postgres', url, 'prepared');
    expect(line(gw, 'parameters')).toEqual({ kind: 'parameters', types: ['int8', 'text'] });
    expect(line(gw, 'columns').columns).toEqual([
      { name: 'country', type: 'text' },
      { name: 'n', type: 'int8' },
      { name: 'first_seen', type: 'timestamptz' },
    ]);
  });

  it('tokio-postgres query_raw streams every group', async () => {
    const gw = await runRust('tokio-postgres', url, 'stream');
    expect(line(gw, 'streamed')).toMatchObject({ first: 'u0001', last: 'u2000' });
    expect(Number(line(gw, 'streamed').rows)).toBeGreaterThan(1000);
  });

  it.each(['query_as', 'prepared'])('sqlx %s equals the twin', async (scenario) => {
    const [gw, pg] = await both('sqlx', scenario);
    expect(gw.stderr).toBe('');
    expect(gw.code).toBe(0);
    expect(gw.lines.length).toBeGreaterThan(0);
    expect(gw.lines).toEqual(pg.lines);
  });

  it('sqlx prepares the repeated statement once (one cached statement)', async () => {
    const gw = await runRust('sqlx', url, 'prepared');
    expect(line(gw, 'cached')).toEqual({ kind: 'cached', statements: 1 });
    expect(gw.lines.filter((l) => l.kind === 'row')).toHaveLength(4);
  });
});

describe('tokio-postgres CancelToken', { timeout: PROBE_TIMEOUT_MS }, () => {
  const slow = useFakeGateway({ scenario: slowRows, catalog: true });

  it('cancel_query sends a CancelRequest: the stream fails with 57014, the Druid query is DELETEd, the connection goes on', async () => {
    const r = await runRust('tokio-postgres', `${connectionString(slow.gateway)}?sslmode=disable`, 'cancel', 'SELECT * FROM t');
    expect(r.stderr).toBe('');
    expect(line(r, 'canceled')).toEqual({ kind: 'canceled', sqlstate: '57014' });
    expect(line(r, 'after')).toEqual({ kind: 'after', value: 1 });
    await slow.fake.waitForDeletes(1);
    const id = (slow.fake.requests.findLast((q) => queryText(q).includes('FROM "t"'))?.body as { context: { sqlQueryId: string } }).context.sqlQueryId;
    expect(slow.fake.deletes).toContain(id);
  });
});
