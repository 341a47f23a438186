/**
 * The driver on polaris-local (over the real Druid): OAuth client credentials in connect() and
 * `polaris-pg query` (tokens renewed after their TTL), and cancel()/statement_timeout stopping the
 * backend query: an asynchronous statement is DELETEd, also while it starts; a synchronous query is
 * aborted without a DELETE, as Polaris' synchronous API has none (docs/polaris.md).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/driver/index.js';
import type { PolarisLocal } from '../../src/polaris-local/server.js';
import { druidUrl, postgresUrl } from '../support/gateway.js';
import { queryRows } from '../support/pg.js';
import { API_KEY_BASIC, call, startTestPolarisLocal, TEST_API_KEY, TEST_CLIENT } from '../support/polaris-local.js';
import { startRecorder } from '../support/polaris-recorder.js';

const SQL = 'SELECT order_id, customer_id, amount, status FROM orders ORDER BY order_id';
const TOTALS = 'SELECT count(*)::text AS n, sum(quantity)::text AS total FROM orders';
/** Token lifetime polaris-local gives: short, so that the test sees a renewal. */
const TOKEN_TTL_S = 2;
/** How long polaris-local keeps a statement RUNNING in the cancel tests. */
const HOLD_MS = 20_000;
const TIMEOUT_MS = 1500;

let local: PolarisLocal;
let recorder: Awaited<ReturnType<typeof startRecorder>>;
let conn: Connection | undefined;

beforeAll(async () => {
  local = await startTestPolarisLocal({ druidUrl: druidUrl(), tokenTtlS: TOKEN_TTL_S });
  recorder = await startRecorder(local.url);
});
afterAll(async () => {
  await conn?.close();
  recorder?.server.close();
  await local?.close();
});

/** The token endpoint of polaris-local, through the recorder. */
const tokenUrl = (): string => `${recorder.url}${new URL(local.tokenUrl).pathname}`;
const tokenPosts = (): number => recorder.requests.filter((r) => r.method === 'POST' && r.path === new URL(local.tokenUrl).pathname).length;
const statementPosts = (): Array<{ body: string }> => recorder.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/query/sql/statements'));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function hold(ms: number): Promise<void> {
  const res = await fetch(`${local.url}/polaris-local/statement-hold`, { method: 'POST', headers: { authorization: API_KEY_BASIC, 'content-type': 'application/json' }, body: JSON.stringify({ ms }) });
  expect(res.status).toBe(204);
}

async function twinTotals(): Promise<string[]> {
  const [row] = await queryRows(postgresUrl(), 'SELECT count(*)::text, sum(quantity)::text FROM orders');
  return row as string[];
}

/** The last submitted statement got a DELETE, and polaris-local holds it as FAILED with CANCELED. */
async function expectDeleted(): Promise<void> {
  const queryId = (JSON.parse(statementPosts().at(-1)?.body ?? '{}') as { context?: { sqlQueryId?: string } }).context?.sqlQueryId ?? '';
  expect(queryId).not.toBe('');
  const deleted = (): boolean => recorder.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(`/query/sql/statements/${queryId}`));
  for (let i = 0; i < 100 && !deleted(); i++) await sleep(50);
  expect(deleted()).toBe(true);
  const status = await call(local, 'GET', `/query/sql/statements/${queryId}`);
  expect(status.body).toMatchObject({ state: 'FAILED', errorDetails: { category: 'CANCELED' } });
}

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('driver OAuth client credentials on polaris-local', () => {
  it('connect(): rows equal the twin, and the token is renewed after its TTL', { timeout: 60_000 }, async () => {
    const before = tokenPosts();
    conn = await connect({ polarisUrl: recorder.url, project: local.projectId }, { credentials: { clientId: TEST_CLIENT.id, clientSecret: TEST_CLIENT.secret, tokenUrl: tokenUrl() } });
    const first = (await (await conn.query(TOTALS)).all())[0];
    expect([first?.getString('n'), first?.getString('total')]).toEqual(await twinTotals());
    // One token at least; a first query slower than the TTL on a loaded machine renews it once more.
    const afterFirst = tokenPosts();
    expect(afterFirst).toBeGreaterThanOrEqual(before + 1);
    expect(recorder.requests.at(-1)?.authorization).toMatch(/^Bearer /);
    await sleep(TOKEN_TTL_S * 1000 + 200);
    const second = (await (await conn.query(TOTALS)).all())[0];
    expect(second?.getString('n')).toBe(first?.getString('n'));
    expect(tokenPosts()).toBeGreaterThan(afterFirst);
    await conn.close();
  });

  it('connect(): a wrong secret fails with 28000', { timeout: 60_000 }, async () => {
    conn = await connect({ polarisUrl: recorder.url, project: local.projectId }, { credentials: { clientId: TEST_CLIENT.id, clientSecret: 'wrong', tokenUrl: tokenUrl() } });
    await expect(conn.query(TOTALS)).rejects.toMatchObject({ code: '28000' });
    await conn.close();
  });

  it('polaris-pg query --polaris-client-id with the secret in the environment', { timeout: 120_000 }, async () => {
    const args = ['query', TOTALS, '--format', 'csv', '--polaris-url', recorder.url, '--project', local.projectId, '--polaris-client-id', TEST_CLIENT.id, '--polaris-token-url', tokenUrl()];
    const { code, stdout, stderr } = await cli(args, { POLARIS_PG_POLARIS_CLIENT_SECRET: TEST_CLIENT.secret });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual(['n,total', (await twinTotals()).join(',')]);
  });
});

describe('driver cancel and statement_timeout on polaris-local', () => {
  const asyncConnect = (settings: Record<string, string> = {}): Promise<Connection> =>
    connect({ polarisUrl: recorder.url, project: local.projectId }, { credentials: { apiKey: TEST_API_KEY }, settings: { 'polaris.query_mode': 'async', ...settings } });

  it('statement.cancel() while an asynchronous statement is RUNNING fails with 57014 and DELETEs it', { timeout: 120_000 }, async () => {
    await hold(HOLD_MS);
    try {
      conn = await asyncConnect();
      const statement = await conn.prepare(SQL);
      const before = statementPosts().length;
      const running = statement.query().then(() => undefined, (e: unknown) => e as { code?: string; message?: string });
      while (statementPosts().length === before) await sleep(50);
      await sleep(500);
      statement.cancel();
      const err = await running;
      expect([err?.code, err?.message]).toEqual(['57014', 'canceling statement due to user request']);
      await expectDeleted();
    } finally {
      await hold(0);
      await conn?.close();
    }
  });

  it('statement_timeout while an asynchronous statement is RUNNING fails with 57014 and DELETEs it', { timeout: 120_000 }, async () => {
    await hold(HOLD_MS);
    try {
      conn = await asyncConnect({ statement_timeout: String(TIMEOUT_MS) });
      const err = (await conn.query(SQL).then(() => undefined, (e: unknown) => e)) as { code?: string; message?: string };
      expect([err.code, err.message]).toEqual(['57014', 'canceling statement due to statement timeout']);
      await expectDeleted();
    } finally {
      await hold(0);
      await conn?.close();
    }
  });

  it('resultSet.cancel() of a synchronous query fails the read with 57014 and sends no DELETE (none exists)', { timeout: 60_000 }, async () => {
    conn = await connect({ polarisUrl: recorder.url, project: local.projectId }, { credentials: { apiKey: TEST_API_KEY } });
    const result = await conn.query(SQL);
    result.cancel();
    const err = await result.all().then(() => undefined, (e: unknown) => e as { code?: string; message?: string });
    expect([err?.code, err?.message]).toEqual(['57014', 'canceling statement due to user request']);
    expect(recorder.requests.some((r) => r.method === 'DELETE' && /\/query\/sql\/[^/]+$/.test(r.path) && !r.path.includes('/statements/'))).toBe(false);
    await conn.close();
  });
});
