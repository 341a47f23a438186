import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import { druidUrl } from '../../support/gateway.js';
import { API_KEY_BASIC, call, checkedText, dropPlocalDatasource, overlordUrl, projectUrl, startTestPolarisLocal } from '../../support/polaris-local.js';

const SUFFIX = randomBytes(3).toString('hex');
const BATCH_TABLE = `plocal_batch_${SUFFIX}`;
const STREAM_TABLE = `plocal_stream_${SUFFIX}`;
const CONNECTION = `plocal-conn-${SUFFIX}`;
const FILE = `plocal-${SUFFIX}.json`;
const INGEST_TIMEOUT_MS = 150_000;

const ROWS = [
  { ts: '2024-01-01T00:00:00Z', city: 'Lima', visits: 3, extra: 'dropped' },
  { ts: '2024-01-01T01:00:00Z', city: 'Oslo', visits: 5, extra: 'dropped' },
  { ts: '2024-01-02T00:00:00Z', city: 'Lima', visits: 7, extra: 'dropped' },
];
const SCHEMA = [
  { name: '__time', dataType: 'timestamp' },
  { name: 'city', dataType: 'string' },
  { name: 'visits', dataType: 'long' },
];
const SOURCE_SCHEMA = [
  { name: 'ts', dataType: 'string' },
  { name: 'city', dataType: 'string' },
  { name: 'visits', dataType: 'long' },
];
const MAPPINGS = [
  { columnName: '__time', expression: 'TIME_PARSE("ts")' },
  { columnName: 'city', expression: '"city"' },
  { columnName: 'visits', expression: '"visits"' },
];

describe('polaris-local ingestion on the real Druid', () => {
  let local: PolarisLocal;
  const overlord = overlordUrl(druidUrl());

  beforeAll(async () => {
    local = await startTestPolarisLocal({ druidUrl: druidUrl(), overlordUrl: overlord, eventFlushMs: 1000, eventsPerMinute: 5 });
  });
  afterAll(async () => {
    await local.close();
    await dropPlocalDatasource(overlord, BATCH_TABLE);
    await dropPlocalDatasource(overlord, STREAM_TABLE);
  });

  async function rows(table: string): Promise<unknown> {
    const r = await call(local, 'POST', '/query/sql', { query: `SELECT TIME_FORMAT("__time", 'yyyy-MM-dd''T''HH:mm:ss') AS t, "city", "visits" FROM "${table}" ORDER BY "__time"`, resultFormat: 'array' });
    return r.body;
  }

  it('uploads a file and ingests it into a strict table with a batch job', { timeout: INGEST_TIMEOUT_MS }, async () => {
    const form = new FormData();
    form.append('file', new Blob([ROWS.map((r) => JSON.stringify(r)).join('\n')]), FILE);
    const uploaded = await fetch(projectUrl(local, '/files'), { method: 'POST', headers: { authorization: API_KEY_BASIC }, body: form });
    expect(uploaded.status).toBe(201);
    expect(JSON.parse(await checkedText(uploaded, 'POST'))).toMatchObject({ name: FILE, dataFormat: 'nd-json', sizeBytes: expect.any(Number) as unknown });
    expect((await call(local, 'GET', `/files/${FILE}`)).status).toBe(200);
    expect((await call(local, 'POST', '/tables', { name: BATCH_TABLE, type: 'detail', schemaMode: 'strict', schema: SCHEMA })).status).toBe(201);
    const job = await call(local, 'POST', '/jobs', {
      type: 'batch',
      target: { type: 'table', tableName: BATCH_TABLE },
      source: { type: 'uploaded', fileList: [FILE], inputSchema: SOURCE_SCHEMA, formatSettings: { format: 'nd-json' } },
      mappings: MAPPINGS,
    });
    expect(job.status).toBe(201);
    const id = (job.body as { id: string }).id;
    await expect.poll(async () => ((await call(local, 'GET', `/jobs/${id}/status`)).body as { executionStatus: string }).executionStatus, { timeout: 60_000, interval: 1000 }).toBe('completed');
    await expect.poll(() => rows(BATCH_TABLE), { timeout: INGEST_TIMEOUT_MS - 30_000, interval: 2000 }).toEqual([
      ['2024-01-01T00:00:00', 'Lima', 3],
      ['2024-01-01T01:00:00', 'Oslo', 5],
      ['2024-01-02T00:00:00', 'Lima', 7],
    ]);
    const table = await call(local, 'GET', `/tables/${BATCH_TABLE}`);
    expect((table.body as { queryableSchema: { name: string }[] }).queryableSchema.map((c) => c.name)).toEqual(['__time', 'city', 'visits']);
    expect((await call(local, 'DELETE', `/files/${FILE}`)).status).toBe(204);
  });

  it('streams pushed events into a table through a push_streaming connection, with a rate limit', { timeout: INGEST_TIMEOUT_MS }, async () => {
    const connection = await call(local, 'POST', '/connections', { type: 'push_streaming', name: CONNECTION });
    expect(connection.status).toBe(201);
    expect((await call(local, 'POST', '/connections', { type: 'push_streaming', name: CONNECTION })).status).toBe(409);
    const job = await call(local, 'POST', '/jobs', {
      type: 'streaming',
      createTableIfNotExists: true,
      target: { type: 'table', tableName: STREAM_TABLE },
      source: { type: 'connection', connectionName: CONNECTION, inputSchema: SOURCE_SCHEMA, formatSettings: { format: 'nd-json' } },
      mappings: MAPPINGS,
    });
    expect(job.status).toBe(201);
    const push = async (body: string): Promise<{ status: number; text: string }> => {
      const res = await fetch(projectUrl(local, `/events/${CONNECTION}`), { method: 'POST', headers: { authorization: API_KEY_BASIC, 'content-type': 'application/json' }, body });
      return { status: res.status, text: await checkedText(res, 'POST') };
    };
    expect((await push(ROWS.slice(0, 2).map((r) => JSON.stringify(r)).join('\n'))).status).toBe(200);
    expect((await push(JSON.stringify(ROWS[2]))).status).toBe(200);
    const limited = await push(ROWS.map((r) => JSON.stringify(r)).join('\n'));
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.text)).toEqual({ message: 'API rate limit exceeded' });
    expect((await fetch(projectUrl(local, '/events/no-such-connection'), { method: 'POST', headers: { authorization: API_KEY_BASIC }, body: '{}' })).status).toBe(404);
    await expect.poll(() => rows(STREAM_TABLE), { timeout: INGEST_TIMEOUT_MS - 30_000, interval: 2000 }).toHaveLength(3);
    const id = (job.body as { id: string }).id;
    const canceled = await call(local, 'POST', `/jobs/${id}/status`, { desiredExecutionStatus: 'canceled' });
    expect(canceled.body).toEqual({ executionStatus: 'canceled' });
  });
});
