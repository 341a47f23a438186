import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPolarisBackend } from '../../../src/backend/polaris-client.js';
import type { BackendCredential, DruidValue, QueryStream } from '../../../src/schema/druid.js';
import { PgError } from '../../../src/errors/pg-error.js';
import { startFakeDruid, type FakeDruid, type FakeHandler } from '../../support/fake-druid.js';

const PROJECT = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
let fake: FakeDruid;

beforeEach(async () => {
  fake = await startFakeDruid({ tables: ['Koalas to the Max'] });
});

afterEach(async () => {
  await fake.close();
});

async function rowsOf(stream: QueryStream): Promise<DruidValue[][]> {
  const rows: DruidValue[][] = [];
  for await (const batch of stream) rows.push(...batch);
  return rows;
}

const run = (backend: ReturnType<typeof createPolarisBackend>, credential: BackendCredential): Promise<DruidValue[][]> =>
  backend.query({ sql: 'SELECT 1', parameters: [], context: {}, credential }).then(rowsOf);

const unauthorizedUnless =
  (accepted: string): FakeHandler =>
  (req, reply) => {
    if (req.headers.authorization === accepted) reply.result([], []);
    else reply.error(401, { message: 'Unauthorized' });
  };

describe('Polaris backend', () => {
  it('posts to /v1/projects/{id}/query/sql with the API key as Basic base64("key:")', async () => {
    const backend = createPolarisBackend({ url: `${fake.url}/`, projectId: PROJECT });
    expect(backend.kind).toBe('polaris');
    expect(await run(backend, { kind: 'apiKey', apiKey: 'pok_abc' })).toEqual([[1]]);
    expect(fake.requests[0]?.path).toBe(`/v1/projects/${PROJECT}/query/sql`);
    expect(fake.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('pok_abc:').toString('base64')}`);
    expect((fake.requests[0]?.body as { resultFormat: string }).resultFormat).toBe('arrayLines');
    await backend.close();
  });

  it('sends an OAuth token as Bearer', async () => {
    const backend = createPolarisBackend({ url: fake.url, projectId: PROJECT });
    await run(backend, { kind: 'bearer', token: 'tok.en' });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer tok.en');
    await backend.close();
  });

  it("in 'auto' mode retries a 401 with the raw key once, then keeps the raw form", async () => {
    fake.setHandler(unauthorizedUnless('Basic pok_raw'));
    const backend = createPolarisBackend({ url: fake.url, projectId: PROJECT });
    const key: BackendCredential = { kind: 'apiKey', apiKey: 'pok_raw' };
    expect(await run(backend, key)).toEqual([]);
    await run(backend, key);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([
      `Basic ${Buffer.from('pok_raw:').toString('base64')}`,
      'Basic pok_raw',
      'Basic pok_raw',
    ]);
    await backend.close();
  });

  it("with apiKeyStyle 'basic' a 401 is final: 28000", async () => {
    fake.setHandler(unauthorizedUnless('never'));
    const backend = createPolarisBackend({ url: fake.url, projectId: PROJECT, apiKeyStyle: 'basic' });
    const err = await run(backend, { kind: 'apiKey', apiKey: 'k' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PgError);
    expect([(err as PgError).code, (err as PgError).message]).toEqual(['28000', 'Unauthorized']);
    expect(fake.requests).toHaveLength(1);
    await backend.close();
  });

  it('never sends DELETE to the synchronous route: cancel() is a no-op and has no version', async () => {
    const backend = createPolarisBackend({ url: fake.url, projectId: PROJECT });
    await backend.cancel('q-1', { kind: 'bearer', token: 't' });
    expect(fake.requests).toEqual([]);
    expect(backend.stats).toEqual({ cancelRequests: 0, cancelFailures: 0 });
    expect(await backend.info({ kind: 'bearer', token: 't' })).toEqual({ kind: 'polaris', version: null, tables: ['Koalas to the Max'], tablesWithoutData: [] });
    await backend.close();
  });

  it('info lists the tables the Tables API declares without data; a 403 there leaves what SQL sees', async () => {
    const credential: BackendCredential = { kind: 'bearer', token: 't' };
    const declared = await startFakeDruid({ tables: ['events'], tablesApi: { status: 200, body: { values: [{ name: 'events', totalRows: 3 }, { name: 'empty', totalRows: 0 }] } } });
    const forbidden = await startFakeDruid({ tables: ['events'], tablesApi: { status: 403, body: { code: 'Forbidden', message: 'no' } } });
    try {
      const info = await createPolarisBackend({ url: declared.url, projectId: PROJECT }).info(credential);
      expect([info.tables, info.tablesWithoutData]).toEqual([['events'], ['empty']]);
      const limited = await createPolarisBackend({ url: forbidden.url, projectId: PROJECT }).info(credential);
      expect([limited.tables, limited.tablesWithoutData]).toEqual([['events'], []]);
      expect(forbidden.requests.map((r) => `${r.method} ${r.path}`)).toContain(`GET /v1/projects/${PROJECT}/tables`);
    } finally {
      await declared.close();
      await forbidden.close();
    }
  });

  it('cancel aborts the HTTP request (the server sees the disconnect) and sends no DELETE', async () => {
    let disconnected: Promise<void> | undefined;
    fake.setHandler((_req, reply) => {
      disconnected = reply.slow([{ name: 'x', nativeType: 'LONG', sqlType: 'BIGINT' }], 20, (i) => [i]).disconnected;
    });
    const backend = createPolarisBackend({ url: fake.url, projectId: PROJECT });
    const controller = new AbortController();
    const stream = await backend.query({ sql: 'SELECT x', parameters: [], context: {}, credential: { kind: 'bearer', token: 't' }, signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    const err = await iterator.next().then(() => undefined, (e: unknown) => e);
    expect((err as PgError).code).toBe('57014');
    await disconnected;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.requests.map((r) => r.method)).toEqual(['POST']);
    expect(fake.deletes).toEqual([]);
    expect(backend.stats.cancelRequests).toBe(0);
    await backend.close();
  });

  it('bounds every query with context.timeout: statement_timeout when given, else maxQueryMs', async () => {
    const backend = createPolarisBackend({ url: fake.url, projectId: PROJECT, maxQueryMs: 120_000 });
    const credential: BackendCredential = { kind: 'bearer', token: 't' };
    await backend.query({ sql: 'SELECT 1', parameters: [], context: {}, credential }).then(rowsOf);
    await backend.query({ sql: 'SELECT 1', parameters: [], context: { timeout: 1500 }, credential }).then(rowsOf);
    await backend.info(credential);
    const timeouts = fake.requests.filter((r) => r.method === 'POST').map((r) => (r.body as { context: { timeout?: number } }).context.timeout);
    expect(timeouts).toEqual([120_000, 1500, 120_000]);
    await backend.close();
  });

  it('defaults the bound to five minutes', async () => {
    const backend = createPolarisBackend({ url: fake.url, projectId: PROJECT });
    await run(backend, { kind: 'bearer', token: 't' });
    expect((fake.requests[0]?.body as { context: { timeout?: number } }).context.timeout).toBe(300_000);
    await backend.close();
  });
});

describe('Polaris backend URLs', () => {
  it('accepts the project base URL itself', async () => {
    const backend = createPolarisBackend({ url: `${fake.url}/v1/projects/${PROJECT}/`, projectId: PROJECT });
    await run(backend, { kind: 'bearer', token: 't' });
    expect(fake.requests[0]?.path).toBe(`/v1/projects/${PROJECT}/query/sql`);
    await backend.close();
  });

  it('rejects credentials in the URL without echoing them', () => {
    const make = (): unknown => createPolarisBackend({ url: 'https://user:s3cret@example.com', projectId: PROJECT });
    expect(make).toThrow(expect.objectContaining({ code: '08001', message: 'the backend URL must not contain credentials' }));
  });
});
