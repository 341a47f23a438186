import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDruidBackend, type HttpBackend } from '../../../src/backend/druid-client.js';
import { TRUNCATED_MESSAGE } from '../../../src/backend/result-stream.js';
import type { DruidValue, QueryRequest, QueryStream } from '../../../src/schema/druid.js';
import { PgError } from '../../../src/errors/pg-error.js';
import { headerLines, rowLine, startFakeDruid, type FakeColumn, type FakeDruid } from '../../support/fake-druid.js';
import { rejection } from '../../support/errors.js';

const COLUMNS: FakeColumn[] = [
  { name: 'id', nativeType: 'LONG', sqlType: 'BIGINT' },
  { name: 'name', nativeType: 'STRING', sqlType: 'VARCHAR' },
];
const ROWS = [
  [9007199254740993n, 'alpha'],
  [-9223372036854775808n, 'béta 😀'],
  [3, null],
];

let fake: FakeDruid;
let backend: HttpBackend;

beforeEach(async () => {
  fake = await startFakeDruid({ tables: ['wikipedia', 'Koalas to the Max'], version: '37.0.0' });
  backend = createDruidBackend({ url: `${fake.url}/`, maxBatchRows: 2 });
});

afterEach(async () => {
  await backend.close();
  await fake.close();
});

function request(sql: string, extra: Partial<QueryRequest> = {}): QueryRequest {
  return { sql, parameters: [], context: {}, credential: { kind: 'none' }, ...extra };
}

async function rowsOf(stream: QueryStream): Promise<DruidValue[][]> {
  const rows: DruidValue[][] = [];
  for await (const batch of stream) rows.push(...batch);
  return rows;
}

describe('Druid backend', () => {
  it('posts the documented body and streams exact rows in batches', async () => {
    fake.setHandler((_req, reply) => reply.result(COLUMNS, ROWS));
    const stream = await backend.query(request('SELECT 1', { context: { sqlTimeZone: 'UTC', useApproximateTopN: true } }));
    expect(stream.columns).toEqual(COLUMNS);
    const batches: DruidValue[][][] = [];
    for await (const batch of stream) batches.push(batch);
    expect(batches).toEqual([ROWS.slice(0, 2), ROWS.slice(2)]);

    const [sent] = fake.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/druid/v2/sql');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.body).toEqual({
      query: 'SELECT 1',
      resultFormat: 'arrayLines',
      header: true,
      typesHeader: true,
      sqlTypesHeader: true,
      parameters: [],
      context: {
        sqlStringifyArrays: false,
        useApproximateCountDistinct: false,
        useApproximateTopN: true,
        sqlTimeZone: 'UTC',
        sqlQueryId: stream.sqlQueryId,
      },
    });
    expect(stream.sqlQueryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps a caller-given sqlQueryId and writes bigint parameters as raw JSON numbers', async () => {
    const stream = await backend.query(
      request('SELECT ? , ?, ?', {
        context: { sqlQueryId: 'my-id' },
        parameters: [
          { type: 'BIGINT', value: 9007199254740993n },
          { type: 'VARCHAR', value: 'x"y' },
          { type: 'VARCHAR', value: null },
        ],
      }),
    );
    expect(stream.sqlQueryId).toBe('my-id');
    await rowsOf(stream);
    expect(fake.requests[0]?.rawBody).toContain(
      '"parameters":[{"type":"BIGINT","value":9007199254740993},{"type":"VARCHAR","value":"x\\"y"},{"type":"VARCHAR","value":null}]',
    );
    expect(fake.requests[0]?.rawBody).toContain('"sqlQueryId":"my-id"');
  });

  it('returns columns and no rows for an empty result', async () => {
    fake.setHandler((_req, reply) => reply.result(COLUMNS, []));
    const stream = await backend.query(request('SELECT 1 WHERE 1=0'));
    expect(stream.columns.map((c) => c.name)).toEqual(['id', 'name']);
    expect(await rowsOf(stream)).toEqual([]);
  });

  it('sends HTTP Basic for basic credentials and the default credential for none', async () => {
    await rowsOf(await backend.query(request('SELECT 1', { credential: { kind: 'basic', username: 'admin', password: 'pässword' } })));
    expect(fake.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('admin:pässword').toString('base64')}`);
    const withDefault = createDruidBackend({ url: fake.url, defaultCredential: { kind: 'basic', username: 'svc', password: 'p' } });
    await rowsOf(await withDefault.query(request('SELECT 1')));
    expect(fake.requests[1]?.headers.authorization).toBe(`Basic ${Buffer.from('svc:p').toString('base64')}`);
    await withDefault.close();
  });

  it.each([
    ['mid-line', (b: string) => b.slice(0, -4), 'received 1 complete row and part of a line before the end of the result'],
    ['after a full row', (b: string) => b, 'received 2 complete rows before the end of the result'],
  ])('fails with 08006 when the socket is cut %s', async (_name, shape, detail) => {
    const body = headerLines(COLUMNS) + rowLine(ROWS[0] ?? []) + rowLine(ROWS[1] ?? []);
    fake.setHandler((_req, reply) => reply.cut(shape(body)));
    const stream = await backend.query(request('SELECT 1'));
    const err = await rejection(rowsOf(stream));
    expect([err.code, err.message]).toEqual(['08006', TRUNCATED_MESSAGE]);
    expect(err.detail?.startsWith(detail.replace(' before the end of the result', ''))).toBe(true);
  });

  it('fails with 08006 when the socket is cut before the headers end', async () => {
    fake.setHandler((_req, reply) => reply.cut('["id","name"]\n["LONG"'));
    const err = await rejection(backend.query(request('SELECT 1')));
    expect([err.code, err.message]).toEqual(['08006', TRUNCATED_MESSAGE]);
    expect(err.detail?.startsWith('received 1 of 3 header lines and part of a line')).toBe(true);
  });

  it('fails with 08006 when the body ends cleanly without the trailer', async () => {
    fake.setHandler((_req, reply) => reply.raw(headerLines(COLUMNS) + rowLine(['1', 'a'])));
    const err = await rejection(backend.query(request('SELECT 1')).then(rowsOf));
    expect([err.code, err.message, err.detail]).toEqual(['08006', TRUNCATED_MESSAGE, 'received 1 complete row before the end of the result']);
  });

  it('maps both error shapes and non-JSON bodies', async () => {
    fake.setHandler((_req, reply) =>
      reply.error(400, {
        error: 'druidException',
        errorCode: 'invalidInput',
        persona: 'USER',
        category: 'INVALID_INPUT',
        errorMessage: "Object 'nope' not found (line [1], column [15])",
        context: { line: '1', column: '15' },
      }),
    );
    expect(await rejection(backend.query(request('SELECT * FROM nope')))).toMatchObject({
      code: '42P01',
      message: "Object 'nope' not found (line [1], column [15])",
    });
    fake.setHandler((_req, reply) => reply.error(504, { error: 'Query timeout', errorMessage: 'Timeout waiting for task.', errorClass: 'x', host: null }));
    expect(await rejection(backend.query(request('SELECT 1')))).toMatchObject({ code: '57014', message: 'Timeout waiting for task.' });
    fake.setHandler((_req, reply) => reply.error(502, '<html><body>Bad Gateway</body></html>'));
    expect(await rejection(backend.query(request('SELECT 1')))).toMatchObject({
      code: 'XX000',
      message: 'the backend returned HTTP 502: <html><body>Bad Gateway</body></html>',
    });
  });

  it('fails with 08001 when the backend refuses connections', async () => {
    await fake.refuse();
    const port = new URL(fake.url).port;
    const err = await rejection(backend.query(request('SELECT 1')));
    expect([err.code, err.message]).toEqual(['08001', `could not connect to the backend at 127.0.0.1:${port}`]);
  });

  it('never puts credentials in error messages', async () => {
    await fake.refuse();
    const err = await rejection(backend.query(request('SELECT 1', { credential: { kind: 'basic', username: 'u', password: 's3cret' } })));
    expect(`${err.message} ${err.detail ?? ''}`).not.toMatch(/s3cret|dTpzM2NyZXQ/);
  });

  it('aborting mid-stream ends the request and DELETEs the right sqlQueryId', async () => {
    let disconnected: Promise<void> | undefined;
    fake.setHandler((_req, reply) => {
      disconnected = reply.slow(COLUMNS, 5, (i) => [i, `row ${i}`]).disconnected;
    });
    const controller = new AbortController();
    const stream = await backend.query(request('SELECT 1', { signal: controller.signal }));
    const it = stream[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual([[0, 'row 0']]);
    controller.abort();
    const err = await rejection((async () => { for (;;) if ((await it.next()).done === true) return; })());
    expect([err.code, err.message]).toEqual(['57014', 'canceling statement due to user request']);
    await disconnected;
    await fake.waitForDeletes(1);
    expect(fake.deletes).toEqual([stream.sqlQueryId]);
    expect(fake.requests.find((r) => r.method === 'DELETE')?.path).toBe(`/druid/v2/sql/${stream.sqlQueryId}`);
  });

  it('aborting before the headers rejects query() with the signal reason and DELETEs', async () => {
    fake.setHandler(() => undefined);
    const controller = new AbortController();
    const pending = backend.query(request('SELECT 1', { signal: controller.signal, context: { sqlQueryId: 'slow-1' } }));
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const reason = new PgError('57014', 'canceling statement due to statement timeout');
    controller.abort(reason);
    expect(await rejection(pending)).toBe(reason);
    await fake.waitForDeletes(1);
    expect(fake.deletes).toEqual(['slow-1']);
  });

  it('cancel() sends DELETE and counts failures without throwing', async () => {
    await backend.cancel('abc/1', { kind: 'none' });
    expect(fake.deletes).toEqual(['abc/1']);
    expect(fake.requests[0]?.path).toBe('/druid/v2/sql/abc%2F1');
    await fake.refuse();
    await backend.cancel('gone', { kind: 'none' });
    expect(backend.stats).toEqual({ cancelRequests: 2, cancelFailures: 1 });
  });

  it('info() lists druid tables and reads the version from /status', async () => {
    const info = await backend.info({ kind: 'basic', username: 'a', password: 'b' });
    expect(info).toEqual({ kind: 'druid', version: '37.0.0', tables: ['wikipedia', 'Koalas to the Max'] });
    const query = fake.requests.find((r) => r.method === 'POST');
    expect((query?.body as { query: string }).query).toBe("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'druid'");
    expect(fake.requests.find((r) => r.path === '/status')?.headers.authorization).toBe(`Basic ${Buffer.from('a:b').toString('base64')}`);
  });
});

describe('Druid backend after abort', () => {
  it('returns no further batch once the signal is aborted, even from rows already read', async () => {
    fake.setHandler((_req, reply) => reply.result(COLUMNS, ROWS));
    const controller = new AbortController();
    const stream = await backend.query(request('SELECT 1', { signal: controller.signal }));
    const it = stream[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual(ROWS.slice(0, 2));
    controller.abort();
    expect(await rejection(it.next())).toMatchObject({ code: '57014', message: 'canceling statement due to user request' });
  });
});
