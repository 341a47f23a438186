/**
 * The gateway on a scripted fake Polaris, seen from a PostgreSQL client: OAuth tokens on every
 * backend call, the context.timeout bound, statement_timeout with no DELETE to the synchronous
 * route, and Polaris platform errors as SQLSTATEs (docs/polaris.md).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaults, type Config } from '../../../src/config/settings.js';
import { createBackend } from '../../../src/server/backend-factory.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { queryText, T_COLUMNS, tRow, withSchema } from '../../support/fake-schema.js';
import { startFakeTokenEndpoint, type FakeTokenEndpoint } from '../../support/fake-token.js';
import { connectionString, startTestGateway } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';

const PROJECT = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
let fake: FakeDruid;
let issuer: FakeTokenEndpoint;
let gateway: Gateway;

beforeAll(async () => {
  fake = await startFakeDruid();
  issuer = await startFakeTokenEndpoint(300);
  const polaris: Partial<Config> = {
    polarisUrl: fake.url,
    project: PROJECT,
    polarisClientId: 'cid',
    polarisClientSecret: 'sec',
    polarisTokenUrl: issuer.url,
    polarisMaxQueryMs: 90_000,
  };
  const backend = createBackend({ ...defaults, ...polaris });
  gateway = await startTestGateway({ config: { druidUrl: fake.url, ...polaris }, backend, catalogEngine: null });
});

afterAll(async () => {
  await gateway.close();
  await fake.close();
  await issuer.close();
});

afterEach(() => {
  fake.requests.length = 0;
});

/** The data statements (not the gateway's INFORMATION_SCHEMA schema queries nor its Tables API listing). */
const dataRequests = (): typeof fake.requests => fake.requests.filter((r) => r.method === 'POST' && !queryText(r).includes('INFORMATION_SCHEMA'));

describe('gateway on Polaris', () => {
  it('runs a query with an OAuth token and the max-query-ms bound', async () => {
    withSchema(fake, (_req, reply) => reply.result(T_COLUMNS, [tRow(1)]));
    const client = textClient(connectionString(gateway));
    await client.connect();
    const r = await client.query({ text: 'SELECT * FROM t', rowMode: 'array' });
    await client.end();
    expect(r.rows).toEqual([['2026-01-01 00:00:01+00', 'c1', '1']]);
    expect(new Set(fake.requests.map((q) => `${q.method} ${q.path} ${q.headers.authorization ?? ''}`))).toEqual(
      new Set([`POST /v1/projects/${PROJECT}/query/sql Bearer tok-1`, `GET /v1/projects/${PROJECT}/tables Bearer tok-1`]),
    );
    const data = dataRequests();
    expect(data).toHaveLength(1);
    expect(data.map((q) => (q.body as { context: { timeout?: number } }).context.timeout)).toEqual(data.map(() => 90_000));
  });

  it('statement_timeout aborts the request, sends it as context.timeout, and never DELETEs', async () => {
    withSchema(fake, (_req, reply) => void reply.slow(T_COLUMNS, 50, tRow));
    const client = textClient(connectionString(gateway));
    await client.connect();
    await client.query('SET statement_timeout = 300');
    await expect(client.query('SELECT n FROM t')).rejects.toMatchObject({ code: '57014' });
    await client.end();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.requests.map((q) => q.method)).not.toContain('DELETE');
    expect(fake.deletes).toEqual([]);
    expect(dataRequests().map((q) => (q.body as { context: { timeout?: number } }).context.timeout)).toEqual([300]);
  });

  it('a wrong project reaches the client as 3D000 with Polaris message and a hint naming --project', async () => {
    fake.setHandler((_req, reply) => reply.error(404, { code: 'ObjectNotFound', message: 'The project was not found.' }));
    const client = textClient(connectionString(gateway));
    await client.connect();
    await expect(client.query('SELECT n FROM t')).rejects.toMatchObject({
      code: '3D000',
      message: 'The project was not found.',
      hint: expect.stringContaining('--project') as unknown,
    });
    await client.end();
  });
});
