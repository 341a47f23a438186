/**
 * What a psql user sees on the Polaris path (gateway -> polaris-local -> Druid) when a query is
 * canceled or Polaris refuses it (docs/polaris.md, "Cancel" and "Errors"): Ctrl-C and
 * statement_timeout end the query on polaris-local, which records the abort and the timeout it was
 * given, with no DELETE to the synchronous route; each documented platform error reaches psql with
 * its SQLSTATE and Polaris' message; a revoked OAuth client gets 28000.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { connectionString, druidUrl, startTestGateway } from '../../support/gateway.js';
import { psql } from '../../support/psql.js';
import { API_KEY_BASIC, startTestPolarisLocal, TEST_API_KEY, TEST_CLIENT } from '../../support/polaris-local.js';
import { startRecorder } from '../../support/polaris-recorder.js';
import { FORBIDDEN, INVALID_AUTHENTICATION, PROJECT_NOT_FOUND, RATE_LIMITED, UNAVAILABLE } from '../../../src/polaris-local/errors.js';

const SQL = 'SELECT count(*) FROM orders';
/** Longer than the tests wait: the held query ends only by the cancel. */
const HOLD_MS = 60_000;
const POLL = { timeout: 30_000, interval: 100 };
/** polaris-local, two gateways and a first query (the catalog engine starts) on a busy machine. */
const WARM_UP_MS = 120_000;

describe('psql on the Polaris path: cancel and platform errors', () => {
  let local: PolarisLocal;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let gateway: Gateway;
  let oauth: Gateway;

  beforeAll(async () => {
    local = await startTestPolarisLocal({ druidUrl: druidUrl() });
    recorder = await startRecorder(local.url);
    const base = { druidUrl: undefined, polarisUrl: recorder.url, project: local.projectId };
    gateway = await startTestGateway({ config: { ...base, polarisApiKey: TEST_API_KEY } });
    oauth = await startTestGateway({
      config: { ...base, polarisClientId: TEST_CLIENT.id, polarisClientSecret: TEST_CLIENT.secret, polarisTokenUrl: `${recorder.url}/auth/realms/local/protocol/openid-connect/token` },
    });
    // The schema is read (through the synchronous route) before any query is held.
    expect((await verbose(gateway, SQL)).stderr).toBe('');
  }, WARM_UP_MS);
  afterAll(async () => {
    for (const g of [gateway, oauth]) await g?.close();
    recorder?.server.close();
    await local?.close();
  });

  const testRoute = async (route: string, body: unknown): Promise<void> => {
    const res = await fetch(`${local.url}/polaris-local/${route}`, { method: 'POST', headers: { authorization: API_KEY_BASIC, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(204);
  };
  const verbose = (g: Gateway, sql: string): ReturnType<typeof psql> => psql(`${connectionString(g)}?sslmode=disable`, ['-X', '-v', 'VERBOSITY=verbose', '-c', sql]);
  const heldQueries = (): number => local.debug.queries.length;

  it('Ctrl-C: 57014, and polaris-local records the abort; no DELETE is sent', { timeout: 120_000 }, async () => {
    await testRoute('query-hold', { ms: HOLD_MS });
    try {
      const before = heldQueries();
      const child = spawn('psql', ['-X', '-v', 'VERBOSITY=verbose', `${connectionString(gateway)}?sslmode=disable`, '-c', SQL], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
      await expect.poll(() => local.debug.queries.slice(before).some((q) => !q.done), POLL).toBe(true);
      child.kill('SIGINT');
      expect(await exited).toBe(1);
      expect(stderr).toContain('ERROR:  57014: canceling statement due to user request');
      await expect.poll(() => local.debug.queries.slice(before).map((q) => [q.done, q.aborted]), POLL).toEqual([[true, true]]);
    } finally {
      await testRoute('query-hold', { ms: 0 });
    }
    expect(recorder.requests.some((r) => r.method === 'DELETE')).toBe(false);
  });

  it('statement_timeout: 57014, and polaris-local records the timeout it was given and the abort', { timeout: 120_000 }, async () => {
    await testRoute('query-hold', { ms: HOLD_MS });
    try {
      const before = heldQueries();
      const out = await verbose(gateway, `SET statement_timeout = 1500; ${SQL}`);
      expect(out.stderr).toContain('ERROR:  57014: canceling statement due to statement timeout');
      await expect.poll(() => local.debug.queries.slice(before).map((q) => [q.timeoutMs, q.done, q.aborted]), POLL).toEqual([[1500, true, true]]);
    } finally {
      await testRoute('query-hold', { ms: 0 });
    }
    expect(recorder.requests.some((r) => r.method === 'DELETE')).toBe(false);
  });

  for (const [status, sqlstate, message] of [
    [403, '42501', FORBIDDEN.message],
    [429, '53300', RATE_LIMITED.message],
    [503, '57P03', UNAVAILABLE.message],
  ] as const) {
    it(`a documented ${status} reaches psql as ${sqlstate} with Polaris' message`, { timeout: 120_000 }, async () => {
      await testRoute('fault', { status, count: 1 });
      const out = await verbose(gateway, SQL);
      expect(out.stderr).toContain(`ERROR:  ${sqlstate}: ${message}`);
      expect((await verbose(gateway, SQL)).stderr).toBe('');
    });
  }

  it('a bad API key is 28000 and a wrong project 3D000, with Polaris messages', { timeout: 120_000 }, async () => {
    const base = { druidUrl: undefined, polarisUrl: local.url };
    const badKey = await startTestGateway({ config: { ...base, project: local.projectId, polarisApiKey: 'pok_wrong' } });
    const badProject = await startTestGateway({ config: { ...base, project: '00000000-0000-4000-8000-000000000000', polarisApiKey: TEST_API_KEY } });
    try {
      expect((await verbose(badKey, SQL)).stderr).toContain(`ERROR:  28000: ${INVALID_AUTHENTICATION.error.message}`);
      const wrong = await verbose(badProject, SQL);
      expect(wrong.stderr).toContain(`ERROR:  3D000: ${PROJECT_NOT_FOUND.message}`);
      expect(wrong.stderr).toContain('--project');
    } finally {
      await badKey.close();
      await badProject.close();
    }
  });

  it('a revoked OAuth client is 28000 with Polaris\' message', { timeout: 120_000 }, async () => {
    expect((await verbose(oauth, SQL)).stderr).toBe('');
    await testRoute('revoke', { clientId: TEST_CLIENT.id });
    // The token the gateway holds is refused as invalid (not expired): no new token is asked for.
    const out = await verbose(oauth, SQL);
    expect(out.stderr).toContain(`ERROR:  28000: ${INVALID_AUTHENTICATION.error.message}`);
  });
});
