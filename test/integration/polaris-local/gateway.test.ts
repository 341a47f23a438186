import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { connectionString, druidUrl, postgresUrl, startTestGateway } from '../../support/gateway.js';
import { requestProblems } from '../../support/openapi.js';
import { queryRows } from '../../support/pg.js';
import { startTestPolarisLocal, TEST_API_KEY, TEST_CLIENT } from '../../support/polaris-local.js';
import { startRecorder } from '../../support/polaris-recorder.js';

/** The lifetime of polaris-local's tokens in this file: several expire during one test. */
const TOKEN_TTL_S = 3;

const QUERIES = [
  'SELECT count(*) FROM events',
  'SELECT country, count(*) AS n, sum(bytes) AS b FROM events GROUP BY country ORDER BY n DESC, country LIMIT 5',
  'SELECT status, count(*), max(latency_ms) FROM events WHERE is_bot = 0 GROUP BY status ORDER BY status',
  'SELECT o.order_id, c.name FROM orders o JOIN customers c ON o.customer_id = c.customer_id ORDER BY o.order_id LIMIT 5',
  'SELECT count(*) FROM "Koalas to the Max"',
];

describe('the gateway in Polaris mode through polaris-local on the real Druid', () => {
  let local: PolarisLocal;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let polaris: Gateway;
  let oauth: Gateway;
  let druid: Gateway;

  beforeAll(async () => {
    local = await startTestPolarisLocal({ druidUrl: druidUrl(), tokenTtlS: TOKEN_TTL_S });
    recorder = await startRecorder(local.url);
    const polarisConfig = { druidUrl: undefined, polarisUrl: recorder.url, project: local.projectId };
    polaris = await startTestGateway({ config: { ...polarisConfig, polarisApiKey: TEST_API_KEY } });
    oauth = await startTestGateway({
      config: { ...polarisConfig, polarisClientId: TEST_CLIENT.id, polarisClientSecret: TEST_CLIENT.secret, polarisTokenUrl: `${recorder.url}/auth/realms/local/protocol/openid-connect/token` },
    });
    druid = await startTestGateway();
  });
  afterAll(async () => {
    for (const g of [polaris, oauth, druid]) await g?.close();
    recorder?.server.close();
    await local?.close();
  });

  it('lists the fixture tables', { timeout: 120_000 }, async () => {
    const sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1";
    const tables = (await queryRows(connectionString(polaris), sql)).map((r) => r[0]);
    expect(tables).toEqual(expect.arrayContaining(['events', 'orders', 'customers', 'Koalas to the Max']));
  });

  it('answers a handful of queries exactly as the Druid path and PostgreSQL do', async () => {
    for (const sql of QUERIES) {
      const viaPolaris = await queryRows(connectionString(polaris), sql);
      expect(viaPolaris, sql).toEqual(await queryRows(connectionString(druid), sql));
      expect(viaPolaris, sql).toEqual(await queryRows(postgresUrl(), sql));
    }
  });

  it('sends statement_timeout as context.timeout, which polaris-local records', async () => {
    const client = new pg.Client(connectionString(polaris));
    await client.connect();
    try {
      await client.query('SET statement_timeout = 4321');
      await client.query('SELECT count(*) FROM orders');
    } finally {
      await client.end();
    }
    expect(local.debug.queries.some((q) => q.timeoutMs === 4321 && q.status === 200)).toBe(true);
  });

  it('keeps querying with OAuth client credentials across several token expiries', { timeout: 30_000 }, async () => {
    const client = new pg.Client(connectionString(oauth));
    await client.connect();
    try {
      for (let i = 0; i < 4; i++) {
        const r = await client.query('SELECT count(*) AS n FROM customers');
        expect(Number((r.rows[0] as { n: string }).n)).toBeGreaterThan(0);
        // Past the token's whole lifetime: the next query finds it expired, whatever the load.
        await new Promise((resolve) => setTimeout(resolve, TOKEN_TTL_S * 1000 + 100));
      }
    } finally {
      await client.end();
    }
    const tokenRequests = recorder.requests.filter((r) => r.path.endsWith('/openid-connect/token'));
    expect(tokenRequests.length).toBeGreaterThanOrEqual(4);
    expect(recorder.requests.filter((r) => r.authorization?.startsWith('Bearer ') === true).length).toBeGreaterThanOrEqual(4);
  });

  it('sent only requests the OpenAPI document allows, never a DELETE on the synchronous route', () => {
    const apiRequests = recorder.requests.filter((r) => r.path.startsWith('/v1/'));
    expect(apiRequests.length).toBeGreaterThan(QUERIES.length);
    for (const r of apiRequests) {
      expect(requestProblems(r.method, r.path, r.contentType, r.body), `${r.method} ${r.path}`).toEqual([]);
      expect(r.authorization).toMatch(/^(Basic|Bearer) \S+$/);
    }
    expect(recorder.requests.some((r) => r.method === 'DELETE')).toBe(false);
  });
});
