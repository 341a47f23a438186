/**
 * Asynchronous deep-storage queries (docs/polaris.md, "Asynchronous queries") through the gateway in
 * Polaris mode on polaris-local and the real Druid: a result of several pages equals the synchronous
 * path's and PostgreSQL's, through a portal and through a cursor; progress arrives as NOTICEs; a
 * CancelRequest and statement_timeout during RUNNING DELETE the statement; on Druid the setting is
 * refused. Every request the gateway sends is checked against the OpenAPI extract.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { connectionString, druidUrl, postgresUrl, startTestGateway } from '../../support/gateway.js';
import { requestProblems } from '../../support/openapi.js';
import { queryRows, textClient } from '../../support/pg.js';
import { API_KEY_BASIC, call, startTestPolarisLocal, TEST_API_KEY } from '../../support/polaris-local.js';
import { startRecorder } from '../../support/polaris-recorder.js';
import { sendCancel } from '../../support/raw-protocol.js';

/** 5000 rows in pages of 2000: three pages. */
const SQL = 'SELECT order_id, customer_id, amount, status FROM orders ORDER BY order_id';
const ROWS_PER_PAGE = 2000;
const PAGE_SETTING = `SET druid."rowsPerPage" = ${ROWS_PER_PAGE}`;
/** How long polaris-local keeps a statement RUNNING in the cancel tests. */
const HOLD_MS = 20_000;

async function rowsOf(client: pg.Client, sql: string): Promise<unknown[][]> {
  return (await client.query({ text: sql, rowMode: 'array' })).rows as unknown[][];
}

describe('polaris.query_mode = async through polaris-local', () => {
  let local: PolarisLocal;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let polaris: Gateway;
  let druid: Gateway;

  beforeAll(async () => {
    local = await startTestPolarisLocal({ druidUrl: druidUrl() });
    recorder = await startRecorder(local.url);
    polaris = await startTestGateway({ config: { druidUrl: undefined, polarisUrl: recorder.url, project: local.projectId, polarisApiKey: TEST_API_KEY } });
    druid = await startTestGateway();
  });
  afterAll(async () => {
    for (const g of [polaris, druid]) await g?.close();
    recorder?.server.close();
    await local?.close();
  });

  const hold = async (ms: number): Promise<void> => {
    const res = await fetch(`${local.url}/polaris-local/statement-hold`, { method: 'POST', headers: { authorization: API_KEY_BASIC, 'content-type': 'application/json' }, body: JSON.stringify({ ms }) });
    expect(res.status).toBe(204);
  };
  const statementPosts = (): number => recorder.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/query/sql/statements')).length;

  it('returns exactly the rows of the synchronous path over three pages, with progress NOTICEs', { timeout: 120_000 }, async () => {
    const client = textClient(connectionString(polaris));
    const notices: string[] = [];
    client.on('notice', (n) => notices.push(n.message ?? ''));
    await client.connect();
    try {
      await client.query(PAGE_SETTING);
      const sync = await rowsOf(client, SQL);
      expect(statementPosts()).toBe(0);
      await client.query('SET polaris.query_mode = async');
      const async = await rowsOf(client, SQL);
      expect(async).toHaveLength(5000);
      expect(async).toEqual(sync);
      expect(async).toEqual(await queryRows(postgresUrl(), SQL));
      expect(statementPosts()).toBe(1);
      expect(notices.at(-1)).toMatch(/^Polaris statement \S+: SUCCESS, 5000 rows in 3 pages$/);
      const pages = recorder.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/results'));
      expect(pages).toHaveLength(3);
    } finally {
      await client.end();
    }
  });

  it('pages through a cursor, and takes the mode from the startup options', { timeout: 120_000 }, async () => {
    const url = new URL(connectionString(polaris));
    url.searchParams.set('options', '-c polaris.query_mode=async');
    const client = textClient(url.toString());
    await client.connect();
    try {
      expect((await client.query('SHOW polaris.query_mode')).rows).toEqual([{ 'polaris.query_mode': 'async' }]);
      await client.query(PAGE_SETTING);
      const before = statementPosts();
      await client.query('BEGIN');
      await client.query(`DECLARE c CURSOR FOR ${SQL}`);
      const fetched: unknown[][] = [];
      for (;;) {
        const batch = await rowsOf(client, 'FETCH 1500 FROM c');
        if (batch.length === 0) break;
        fetched.push(...batch);
      }
      await client.query('COMMIT');
      expect(fetched).toEqual(await queryRows(postgresUrl(), SQL));
      expect(statementPosts()).toBe(before + 1);
    } finally {
      await client.end();
    }
  });

  it('a CancelRequest during RUNNING sends the DELETE, and polaris-local cancels the statement', { timeout: 120_000 }, async () => {
    await hold(HOLD_MS);
    const client = textClient(connectionString(polaris));
    await client.connect();
    try {
      await client.query('SET polaris.query_mode = async');
      const before = statementPosts();
      const running = client.query(SQL).then(
        () => undefined,
        (e: unknown) => e,
      );
      while (statementPosts() === before) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
      await sendCancel(polaris.port, processID, secretKey);
      const err = (await running) as { code?: string; message?: string };
      expect([err.code, err.message]).toEqual(['57014', 'canceling statement due to user request']);
      await expectDeleted();
    } finally {
      await hold(0);
      await client.end();
    }
  });

  it('statement_timeout during RUNNING sends the DELETE', { timeout: 120_000 }, async () => {
    await hold(HOLD_MS);
    const client = textClient(connectionString(polaris));
    await client.connect();
    try {
      await client.query('SET polaris.query_mode = async');
      await client.query('SET statement_timeout = 1500');
      const err = (await client.query(SQL).then(() => undefined, (e: unknown) => e)) as { code?: string; message?: string };
      expect([err.code, err.message]).toEqual(['57014', 'canceling statement due to statement timeout']);
      await expectDeleted();
    } finally {
      await hold(0);
      await client.end();
    }
  });

  /** The last submitted statement got a DELETE, and polaris-local keeps it as FAILED with a CANCELED error. */
  async function expectDeleted(): Promise<void> {
    const post = recorder.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/query/sql/statements')).at(-1);
    const queryId = (JSON.parse(post?.body ?? '{}') as { context?: { sqlQueryId?: string } }).context?.sqlQueryId ?? '';
    expect(queryId).not.toBe('');
    const deleted = (): boolean => recorder.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(`/query/sql/statements/${queryId}`));
    for (let i = 0; i < 100 && !deleted(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(deleted()).toBe(true);
    // The recorder saw the DELETE before forwarding it: polaris-local may not have processed it yet.
    await expect.poll(async () => (await call(local, 'GET', `/query/sql/statements/${queryId}`)).body).toMatchObject({ state: 'FAILED', errorDetails: { category: 'CANCELED' } });
  }

  it('is refused on a Druid backend, by SET and in the startup options', async () => {
    const client = textClient(connectionString(druid));
    await client.connect();
    try {
      const err = (await client.query('SET polaris.query_mode = async').then(() => undefined, (e: unknown) => e)) as { code?: string; message?: string; hint?: string };
      expect([err.code, err.message]).toEqual(['0A000', 'polaris.query_mode = async needs a Polaris backend']);
      expect(err.hint).toContain('Polaris statements API');
    } finally {
      await client.end();
    }
    const url = new URL(connectionString(druid));
    url.searchParams.set('options', '-c polaris.query_mode=async');
    const startup = textClient(url.toString());
    const err = (await startup.connect().then(() => undefined, (e: unknown) => e)) as { code?: string } | undefined;
    await startup.end().catch(() => undefined);
    expect(err?.code).toBe('0A000');
  });

  it('sent only requests the OpenAPI document allows, and no DELETE on the synchronous route', () => {
    const api = recorder.requests.filter((r) => r.path.startsWith('/v1/'));
    for (const r of api) expect(requestProblems(r.method, r.path, r.contentType, r.body), `${r.method} ${r.path}`).toEqual([]);
    expect(api.some((r) => r.method === 'DELETE' && /\/query\/sql\/[^/]+$/.test(r.path) && !r.path.includes('/statements/'))).toBe(false);
  });
});
