import { describe, expect, it } from 'vitest';
import type { Backend, DruidValue, QueryRequest, QueryStream } from '../../../src/schema/druid.js';
import { SCHEMA_QUERY, loadSchema } from '../../../src/schema/loader.js';

function fakeBackend(batches: DruidValue[][][], requests: QueryRequest[], closed: { count: number }): Backend {
  return {
    kind: 'druid',
    query(request: QueryRequest): Promise<QueryStream> {
      requests.push(request);
      const stream: QueryStream = {
        sqlQueryId: 'q1',
        columns: [],
        close: () => {
          closed.count++;
          return Promise.resolve();
        },
        async *[Symbol.asyncIterator]() {
          for (const batch of batches) yield batch;
        },
      };
      return Promise.resolve(stream);
    },
    cancel: () => Promise.resolve(),
    info: () => Promise.resolve({ kind: 'druid', version: null, tables: [] }),
    close: () => Promise.resolve(),
  };
}

describe('loadSchema', () => {
  it('reads every batch of INFORMATION_SCHEMA.COLUMNS into tables', async () => {
    const requests: QueryRequest[] = [];
    const closed = { count: 0 };
    const backend = fakeBackend(
      [
        [
          ['Koalas to the Max', '__time', 1, 'TIMESTAMP', 'NO'],
          ['Koalas to the Max', 'sessionLength', 5n, 'BIGINT', 'YES'],
        ],
        [
          ['Koalas to the Max', 'browser', '2', 'VARCHAR', 'YES'],
          ['events', 'tags', 2, 'ARRAY', 'YES'],
        ],
      ],
      requests,
      closed,
    );
    const snapshot = await loadSchema(backend, { kind: 'apiKey', apiKey: 'k' });
    expect(requests).toEqual([{ sql: SCHEMA_QUERY, parameters: [], context: {}, credential: { kind: 'apiKey', apiKey: 'k' } }]);
    expect(closed.count).toBe(1);
    expect([...snapshot.tables.keys()]).toEqual(['Koalas to the Max', 'events']);
    expect(snapshot.tables.get('Koalas to the Max')?.columns).toEqual([
      { name: '__time', ordinal: 1, sqlType: 'TIMESTAMP', nativeType: null, nullable: false },
      { name: 'browser', ordinal: 2, sqlType: 'VARCHAR', nativeType: null, nullable: true },
      { name: 'sessionLength', ordinal: 5, sqlType: 'BIGINT', nativeType: null, nullable: true },
    ]);
    expect(snapshot.tables.get('events')?.columns).toEqual([{ name: 'tags', ordinal: 2, sqlType: 'ARRAY', nativeType: null, nullable: true }]);
  });

  it('rejects a malformed row and still closes the stream', async () => {
    const closed = { count: 0 };
    const backend = fakeBackend([[[null, 'c', 1, 'VARCHAR', 'YES']]], [], closed);
    await expect(loadSchema(backend, { kind: 'none' })).rejects.toThrow('unexpected TABLE_NAME value');
    expect(closed.count).toBe(1);
  });
});
