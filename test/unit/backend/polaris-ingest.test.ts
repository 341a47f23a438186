import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolarisApi } from '../../../src/backend/polaris-api.js';
import { createPolarisIngestion } from '../../../src/backend/polaris-ingest.js';
import type { Ingestion } from '../../../src/schema/ingest.js';
import { requestProblems } from '../../support/openapi.js';

interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** A Polaris project API that answers from `answers` (keyed "METHOD /path") and records every request. */
function fakePolaris(answers: Record<string, { status: number; body?: unknown }>): { seen: Seen[]; server: Server } {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').replace(/^\/v1\/projects\/p1/, '');
      seen.push({ method: req.method ?? '', path, authorization: req.headers.authorization, contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers[`${req.method ?? ''} ${path}`] ?? { status: 404, body: { code: 'ObjectNotFound', message: 'no such thing' } };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  return { seen, server };
}

const JOB_ID = '0f4e1a52-3c1b-4f7e-9d2a-6b8c0e1d2f3a';
const fake = fakePolaris({
  'POST /files': { status: 201, body: { name: 'x' } },
  'POST /jobs': { status: 201, body: { id: JOB_ID, type: 'batch', executionStatus: 'pending' } },
  [`GET /jobs/${JOB_ID}`]: {
    status: 200,
    body: { id: JOB_ID, type: 'batch', target: { type: 'table', tableName: 't' }, executionStatus: 'failed', health: { status: 'error', code: 'cannot_parse_source', message: 'Unable to parse row [x]' } },
  },
  'POST /tables': { status: 409, body: { code: 'AlreadyExists', message: 'exists' } },
  'GET /tables/t': { status: 200, body: { name: 't', queryableSchema: [{ name: '__time', dataType: 'timestamp' }, { name: 'n', dataType: 'long' }, { name: 'tags', dataType: 'stringArray' }] } },
});
const agent = new Agent();
let ingestion: Ingestion;
let dir: string;

beforeAll(async () => {
  await new Promise<void>((done) => fake.server.listen(0, '127.0.0.1', done));
  const port = (fake.server.address() as AddressInfo).port;
  const api = createPolarisApi({ projectBase: `http://127.0.0.1:${port}/v1/projects/p1`, dispatcher: agent, authorization: async () => 'Basic a2V5Og==' });
  ingestion = createPolarisIngestion(api);
  dir = await mkdtemp(join(tmpdir(), 'polaris-ingest-'));
});
afterAll(async () => {
  fake.server.close();
  await agent.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Polaris ingestion (Files + Jobs)', () => {
  it('uploads a staged file as multipart, appends it with a batch job, reports the failed job\'s own message and deletes the file', async () => {
    const path = join(dir, 'rows.json');
    await writeFile(path, '{"__time":1,"n":2,"s":"a"}\n{"__time":3,"n":4,"s":null}\n');
    const id = await ingestion.submit({ dataSource: 't', columns: [{ name: 'n', type: 'long' }, { name: 's', type: 'string' }], input: { kind: 'file', path }, credential: { kind: 'none' } });
    expect(id).toBe(JOB_ID);
    const upload = fake.seen.find((s) => s.method === 'POST' && s.path === '/files');
    expect(upload?.authorization).toBe('Basic a2V5Og==');
    expect(upload?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const name = /filename="(polaris-pg-[0-9a-f-]+\.json)"/.exec(upload?.body ?? '')?.[1];
    expect(upload?.body).toContain('\r\n\r\n{"__time":1,"n":2,"s":"a"}\n{"__time":3,"n":4,"s":null}\n\r\n--');
    const job = JSON.parse(fake.seen.find((s) => s.path === '/jobs')?.body ?? '{}') as Record<string, unknown>;
    expect(job).toEqual({
      type: 'batch',
      target: { type: 'table', tableName: 't' },
      createTableIfNotExists: true,
      ingestionMode: 'append',
      maxParseExceptions: 0,
      source: { type: 'uploaded', fileList: [name], formatSettings: { format: 'nd-json' }, inputSchema: [{ name: '__time', dataType: 'long' }, { name: 'n', dataType: 'long' }, { name: 's', dataType: 'string' }] },
      mappings: [
        { columnName: '__time', expression: 'MILLIS_TO_TIMESTAMP("__time")' },
        { columnName: 'n', expression: '"n"' },
        { columnName: 's', expression: '"s"' },
      ],
    });
    const status = await ingestion.status(id, { kind: 'none' });
    expect(status).toMatchObject({ id: JOB_ID, state: 'FAILED', status: 'failed', health: 'error', errorMsg: 'Unable to parse row [x]', dataSource: 't' });
    expect(fake.seen.at(-1)).toMatchObject({ method: 'DELETE', path: `/files/${name ?? ''}` });
  });

  it('CREATE TABLE of an existing name is false; describe maps the queryable schema and a missing table is undefined', async () => {
    const tables = ingestion.tables;
    expect(await tables?.create({ name: 't', type: 'detail', schemaMode: 'strict', partitioning: 'day', clusteringColumns: [], columns: [{ name: 'n', type: 'long' }] }, { kind: 'none' })).toBe(false);
    const created = fake.seen.at(-1);
    expect(JSON.parse(created?.body ?? '{}')).toEqual({ name: 't', type: 'detail', version: 0, schemaMode: 'strict', partitioningGranularity: 'day', schema: [{ name: 'n', dataType: 'long' }] });
    expect(requestProblems('POST', '/v1/projects/p/tables', created?.contentType ?? null, created?.body ?? '')).toEqual([]);
    const described = await tables?.describe('t', { kind: 'none' });
    expect(described?.columns.map((c) => [c.name, c.sqlType])).toEqual([['__time', 'TIMESTAMP'], ['n', 'BIGINT'], ['tags', 'VARCHAR ARRAY']]);
    expect(await tables?.describe('gone', { kind: 'none' })).toBeUndefined();
  });
});
