/**
 * asyncpg (default connect: it sends client_encoding as 'utf-8', quotes included), SQLAlchemy 2's
 * asyncio engine on asyncpg, and pg8000: each probe runs against the gateway on the real Druid and
 * against the PostgreSQL twin with the same fixtures, and the outputs must match. Drivers come from
 * test/clients/provision (the sa2 venv).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { line, runPython, type RunResult } from '../support/clients.js';
import { slowRows, useFakeGateway } from '../support/fake-gateway.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';

/** Each probe starts a Python interpreter and, for SQLAlchemy, reflects the catalog: slow on a busy 2-core machine. */
const PROBE_TIMEOUT_MS = 120_000;

function queryText(request: { body: unknown }): string {
  return (request.body as { query?: string } | undefined)?.query ?? '';
}

describe('asyncpg, SQLAlchemy asyncio and pg8000 against the gateway on Druid', { timeout: PROBE_TIMEOUT_MS }, () => {
  let gateway: Gateway;
  let url: string;
  beforeAll(async () => {
    gateway = await startTestGateway();
    url = connectionString(gateway);
  });
  afterAll(async () => {
    await gateway.close();
  });

  const both = async (script: string, scenario: string): Promise<[RunResult, RunResult]> =>
    Promise.all([runPython('sa2', script, [url, scenario]), runPython('sa2', script, [postgresUrl(), scenario])]);

  it('asyncpg connects with its defaults and reads an aggregate as PostgreSQL answers it', async () => {
    const [gw, pg] = await both('asyncpg_probe.py', 'connect');
    expect(gw.stderr).toBe('');
    expect(line(gw, 'settings')).toEqual({ kind: 'settings', client_encoding: 'UTF8' });
    expect((line(gw, 'rows').rows as unknown[]).length).toBe(3);
    expect(gw.lines).toEqual(pg.lines);
  });

  it.each(['prepared', 'cursor', 'copy', 'types'])('asyncpg %s equals the twin', async (scenario) => {
    const [gw, pg] = await both('asyncpg_probe.py', scenario);
    expect(gw.stderr).toBe('');
    expect(gw.lines.length).toBeGreaterThan(0);
    expect(gw.lines).toEqual(pg.lines);
  });

  it('asyncpg prepared statements report typed parameters and columns', async () => {
    const gw = await runPython('sa2', 'asyncpg_probe.py', [url, 'prepared']);
    expect(line(gw, 'parameters')).toEqual({ kind: 'parameters', types: ['int8', 'text'] });
    expect(line(gw, 'attributes')).toEqual({ kind: 'attributes', names: ['country', 'n', 'first_seen'], types: ['text', 'int8', 'timestamptz'] });
  });

  it('asyncpg cursor with prefetch reads 25 rows in batches inside a transaction', async () => {
    const gw = await runPython('sa2', 'asyncpg_probe.py', [url, 'cursor']);
    expect((line(gw, 'rows').rows as unknown[]).length).toBe(25);
  });

  it('SQLAlchemy 2 asyncio engine on asyncpg: inspector and a bound query equal the twin', async () => {
    const [gw, pg] = await both('asyncpg_probe.py', 'sa_async');
    expect(gw.stderr).toBe('');
    expect(line(gw, 'tables')).toEqual({ kind: 'tables', names: ['Koalas to the Max', 'customers', 'events', 'orders'] });
    expect(gw.lines).toEqual(pg.lines);
  });

  it.each(['native', 'dbapi'])('pg8000 %s API equals the twin', async (scenario) => {
    const [gw, pg] = await both('pg8000_probe.py', scenario);
    expect(gw.stderr).toBe('');
    expect((line(gw, 'rows').rows as unknown[]).length).toBeGreaterThan(0);
    expect(gw.lines).toEqual(pg.lines);
  });
});

describe('asyncpg cancel through asyncio.wait_for', { timeout: PROBE_TIMEOUT_MS }, () => {
  const slow = useFakeGateway({ scenario: slowRows, catalog: true });

  it('a timed-out query sends a CancelRequest: the Druid query is DELETEd and the connection goes on', async () => {
    const r = await runPython('sa2', 'asyncpg_probe.py', [`${connectionString(slow.gateway)}?sslmode=disable`, 'cancel', 'SELECT * FROM t']);
    expect(r.stderr).toBe('');
    expect(line(r, 'cancel')).toEqual({ kind: 'cancel', cancelled: true });
    expect(line(r, 'after')).toEqual({ kind: 'after', value: 1 });
    await slow.fake.waitForDeletes(1);
    // asyncpg prepares first: the last request is the Execute's query, earlier ones describe it.
    const id = (slow.fake.requests.findLast((q) => queryText(q).includes('FROM "t"'))?.body as { context: { sqlQueryId: string } }).context.sqlQueryId;
    expect(slow.fake.deletes).toContain(id);
  });
});
