import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPolarisBackend } from '../../../src/backend/polaris-client.js';
import { TRUNCATED_MESSAGE } from '../../../src/backend/result-stream.js';
import type { AsyncProgress, DruidValue, QueryStream } from '../../../src/schema/druid.js';
import { PgError } from '../../../src/errors/pg-error.js';

const PROJECT = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const SCHEMA = [
  { name: 'n', type: 'BIGINT', nativeType: 'LONG' },
  { name: 's', type: 'VARCHAR', nativeType: 'STRING' },
];

/** A statements API whose query succeeds at once with the given page bodies (arrayLines text). */
async function startStatements(pages: string[]): Promise<{ url: string; server: Server; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(`${req.method ?? ''} ${req.url ?? ''}`);
    req.resume();
    req.on('end', () => {
      const page = /\/results\?page=(\d+)&resultFormat=arrayLines$/.exec(req.url ?? '');
      if (page !== null) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(pages[Number(page[1])]);
        return;
      }
      const status = { queryId: 'q1', state: 'SUCCESS', schema: SCHEMA, result: { numTotalRows: 3, pages: pages.map((_, id) => ({ id })) } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(status));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, paths };
}

async function rowsOf(stream: QueryStream): Promise<DruidValue[][]> {
  const rows: DruidValue[][] = [];
  for await (const batch of stream) rows.push(...batch);
  return rows;
}

let server: Server | undefined;
afterEach(() => {
  server?.close();
});

describe('Polaris asynchronous statements', () => {
  it('reads every page in order behind the status schema, exact 64-bit values included', async () => {
    const api = await startStatements(['[1,"a"]\n[9007199254740993,"b"]\n\n', '\n', '[3,"c"]\n\n']);
    server = api.server;
    const progress: AsyncProgress[] = [];
    const backend = createPolarisBackend({ url: api.url, projectId: PROJECT });
    const stream = await backend.query({ sql: 'SELECT n, s FROM t', parameters: [], context: { sqlQueryId: 'q1' }, credential: { kind: 'apiKey', apiKey: 'k' }, async: { onProgress: (p) => progress.push(p) } });
    expect(stream.columns).toEqual([
      { name: 'n', sqlType: 'BIGINT', nativeType: 'LONG' },
      { name: 's', sqlType: 'VARCHAR', nativeType: 'STRING' },
    ]);
    expect(await rowsOf(stream)).toEqual([[1, 'a'], [9007199254740993n, 'b'], [3, 'c']]);
    expect(progress).toEqual([{ queryId: 'q1', state: 'SUCCESS', rows: 3, pages: 3 }]);
    expect(api.paths).toEqual([
      `POST /v1/projects/${PROJECT}/query/sql/statements`,
      ...[0, 1, 2].map((id) => `GET /v1/projects/${PROJECT}/query/sql/statements/q1/results?page=${id}&resultFormat=arrayLines`),
    ]);
    await backend.close();
  });

  it('fails with 08006 when a page ends without its blank trailer line, never a short result', async () => {
    const api = await startStatements(['[1,"a"]\n\n', '[2,"b"]\n']);
    server = api.server;
    const backend = createPolarisBackend({ url: api.url, projectId: PROJECT });
    const stream = await backend.query({ sql: 'SELECT n, s FROM t', parameters: [], context: {}, credential: { kind: 'apiKey', apiKey: 'k' }, async: { onProgress: () => undefined } });
    const err = await rowsOf(stream).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(PgError);
    expect([(err as PgError).code, (err as PgError).message]).toEqual(['08006', TRUNCATED_MESSAGE]);
    await backend.close();
  });

  it('is refused on a Druid backend', async () => {
    const { createDruidBackend } = await import('../../../src/backend/druid-client.js');
    const backend = createDruidBackend({ url: 'http://127.0.0.1:9' });
    const err = await backend.query({ sql: 'SELECT 1', parameters: [], context: {}, credential: { kind: 'none' }, async: { onProgress: () => undefined } }).then(() => undefined, (e: unknown) => e);
    expect((err as PgError).code).toBe('0A000');
    await backend.close();
  });
});
