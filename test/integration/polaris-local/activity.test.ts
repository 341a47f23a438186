/**
 * pg_stat_activity.polaris_query_id on the Polaris path (docs/polaris.md, "Query IDs"): while a
 * statement runs, a second connection sees the ID polaris-local knows the query by (the context's
 * sqlQueryId of a synchronous query, the statement ID of an asynchronous one); once it ended, none.
 * polaris-local holds the query running (its query-hold and statement-hold test routes); the test waits
 * on conditions, never on a fixed time.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { connectionString, druidUrl, startTestGateway } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';
import { API_KEY_BASIC, call, startTestPolarisLocal, TEST_API_KEY } from '../../support/polaris-local.js';

const SQL = 'SELECT count(*) FROM orders';
/** Longer than the test waits: the statement is canceled once its ID was seen. */
const HOLD_MS = 60_000;
const POLL = { timeout: 30_000, interval: 100 };
const ENGINE_START_MS = 120_000;

describe('pg_stat_activity shows the Polaris query ID of a running statement', () => {
  let local: PolarisLocal;
  let gateway: Gateway;
  let admin: pg.Client;

  beforeAll(async () => {
    local = await startTestPolarisLocal({ druidUrl: druidUrl() });
    gateway = await startTestGateway({ config: { druidUrl: undefined, polarisUrl: local.url, project: local.projectId, polarisApiKey: TEST_API_KEY } });
    admin = textClient(connectionString(gateway));
    await admin.connect();
    // Starts the catalog engine (slow on a busy machine) before any statement is held.
    await admin.query('SELECT count(*) FROM pg_stat_activity');
  }, ENGINE_START_MS);
  afterAll(async () => {
    await admin?.end();
    await gateway?.close();
    await local?.close();
  });

  const hold = async (route: 'query-hold' | 'statement-hold', ms: number): Promise<void> => {
    const res = await fetch(`${local.url}/polaris-local/${route}`, { method: 'POST', headers: { authorization: API_KEY_BASIC, 'content-type': 'application/json' }, body: JSON.stringify({ ms }) });
    expect(res.status).toBe(204);
  };

  /** The session's row: its state and the ID it shows. */
  const activity = async (pid: number): Promise<unknown[][]> =>
    (await admin.query({ text: 'SELECT state, query, polaris_query_id FROM pg_stat_activity WHERE pid = $1', values: [pid], rowMode: 'array' })).rows as unknown[][];

  /** Runs SQL on a new connection until pg_stat_activity shows its query ID; checks it, cancels the statement, and sees the ID go. */
  async function seeWhileRunning(setup: string[], known: (queryId: string) => Promise<void>): Promise<void> {
    const client = textClient(connectionString(gateway));
    await client.connect();
    try {
      for (const statement of setup) await client.query(statement);
      const pid = (client as unknown as { processID: number }).processID;
      const running = client.query(SQL).then(
        () => undefined,
        (e: unknown) => e,
      );
      await expect.poll(async () => (await activity(pid))[0]?.[2] ?? null, POLL).not.toBeNull();
      const [[state, query, queryId]] = (await activity(pid)) as [[string, string, string]];
      expect([state, query]).toEqual(['active', SQL]);
      await known(queryId);
      await admin.query(`SELECT pg_cancel_backend(${pid})`);
      expect(await running).toMatchObject({ code: '57014' });
      expect(await activity(pid)).toEqual([['idle', SQL, null]]);
    } finally {
      await client.end();
    }
  }

  it('a synchronous query: the sqlQueryId polaris-local received', { timeout: 120_000 }, async () => {
    await hold('query-hold', HOLD_MS);
    try {
      await seeWhileRunning([], async (queryId) => {
        expect(local.debug.queries.filter((q) => q.sqlQueryId === queryId)).toEqual([expect.objectContaining({ done: false })]);
      });
    } finally {
      await hold('query-hold', 0);
    }
  });

  it('an asynchronous statement: its statement ID, not yet finished on polaris-local', { timeout: 120_000 }, async () => {
    await hold('statement-hold', HOLD_MS);
    try {
      await seeWhileRunning(['SET polaris.query_mode = async'], async (queryId) => {
        const status = await call(local, 'GET', `/query/sql/statements/${queryId}`);
        // Polaris' statement states before the end: ACCEPTED (queued), then RUNNING.
        expect(status.body).toMatchObject({ queryId, state: expect.stringMatching(/^(ACCEPTED|RUNNING)$/) as unknown });
      });
    } finally {
      await hold('statement-hold', 0);
    }
  });
});
