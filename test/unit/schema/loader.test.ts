import { describe, expect, it } from 'vitest';
import type { Backend, DruidValue, QueryRequest, QueryStream, TableDirectory } from '../../../src/schema/druid.js';
import { SCHEMA_QUERY, loadSchema } from '../../../src/schema/loader.js';
import { sqlTypeOfPolarisDataType } from '../../../src/schema/polaris-types.js';
import { pgTypeFor } from '../../../src/types/druid-to-pg.js';

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

  it('adds the tables the Tables API declares that SQL does not see, with their declared columns', async () => {
    const backend = fakeBackend([[['events', '__time', 1, 'TIMESTAMP', 'NO'], ['events', 'country', 2, 'VARCHAR', 'YES']]], [], { count: 0 });
    const described: string[] = [];
    const directory: TableDirectory = {
      list: () => Promise.resolve([{ name: 'events', totalRows: 10 }, { name: 'empty_strict', totalRows: 0 }, { name: 'gone', totalRows: 0 }]),
      columns: (_credential, name) => {
        described.push(name);
        if (name === 'gone') return Promise.resolve(undefined);
        return Promise.resolve([
          { name: '__time', dataType: 'timestamp' },
          { name: 'city', dataType: 'string' },
          { name: 'visits', dataType: 'long' },
          { name: 'tags', dataType: 'stringArray' },
          { name: 'sketch', dataType: 'thetaSketch' },
        ]);
      },
    };
    const snapshot = await loadSchema({ ...backend, tableDirectory: directory }, { kind: 'none' });
    expect(described).toEqual(['empty_strict', 'gone']);
    expect([...snapshot.tables.keys()]).toEqual(['events', 'empty_strict']);
    expect(snapshot.tables.get('events')?.columns.map((c) => c.name)).toEqual(['__time', 'country']);
    expect(snapshot.tables.get('empty_strict')?.columns).toEqual([
      { name: '__time', ordinal: 1, sqlType: 'TIMESTAMP', nativeType: null, nullable: false },
      { name: 'city', ordinal: 2, sqlType: 'VARCHAR', nativeType: null, nullable: true },
      { name: 'visits', ordinal: 3, sqlType: 'BIGINT', nativeType: null, nullable: true },
      { name: 'tags', ordinal: 4, sqlType: 'VARCHAR ARRAY', nativeType: null, nullable: true },
      { name: 'sketch', ordinal: 5, sqlType: 'COMPLEX<thetaSketch>', nativeType: null, nullable: true },
    ]);
  });
});

describe('Polaris dataType -> PostgreSQL type', () => {
  it('gives each documented dataType the type Druid reports once the table has data', () => {
    const pg = (dataType: string): string => pgTypeFor({ sqlType: sqlTypeOfPolarisDataType(dataType), nativeType: null }).name;
    expect(Object.fromEntries(['timestamp', 'long', 'bigint', 'double', 'float', 'string', 'varchar', 'json', 'longArray', 'HLLSketch'].map((t) => [t, pg(t)]))).toEqual({
      timestamp: 'timestamptz',
      long: 'int8',
      bigint: 'int8',
      double: 'float8',
      float: 'float4',
      string: 'text',
      varchar: 'text',
      json: 'text',
      longArray: 'text',
      HLLSketch: 'text',
    });
  });
});
