import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, parseSql } from '../../../src/sql/index.js';
import { createTablePlan } from '../../../src/session/write/polaris-create.js';

function plan(sql: string): ReturnType<typeof createTablePlan> {
  const stmt = parseSql(sql)[0];
  if (stmt === undefined) throw new Error('no statement');
  return createTablePlan(stmt, 't');
}

beforeAll(async () => {
  await initParser();
});

describe('CREATE TABLE on Polaris', () => {
  it('maps PostgreSQL types to Polaris data types and reads the WITH options', () => {
    expect(
      plan("CREATE TABLE IF NOT EXISTS t (__time timestamptz NOT NULL, a text, b varchar(20), c smallint, d integer, e bigint, f real, g double precision) WITH (type = aggregate, partitioning = hour, schema_mode = strict, clustering = 'a, d')"),
    ).toEqual({
      ifNotExists: true,
      table: {
        name: 't',
        type: 'aggregate',
        schemaMode: 'strict',
        partitioning: 'hour',
        clusteringColumns: ['a', 'd'],
        columns: [
          { name: 'a', type: 'string' },
          { name: 'b', type: 'string' },
          { name: 'c', type: 'long' },
          { name: 'd', type: 'long' },
          { name: 'e', type: 'long' },
          { name: 'f', type: 'float' },
          { name: 'g', type: 'double' },
        ],
      },
    });
    expect(plan('CREATE TABLE t (__time timestamp)').table).toMatchObject({ type: 'detail', schemaMode: 'flexible', partitioning: 'day', clusteringColumns: [], columns: [] });
  });

  it('refuses what a Polaris table cannot hold as declared, naming it', () => {
    const cases: Array<[string, { code: string; message: string }]> = [
      ['CREATE TABLE t (__time timestamptz, n numeric(10,2))', { code: '0A000', message: 'column "n" of type numeric cannot be declared in a Polaris table by polaris-pg' }],
      ['CREATE TABLE t (__time timestamptz, tags text[])', { code: '0A000', message: 'column "tags" of an array type cannot be declared in a Polaris table by polaris-pg' }],
      ['CREATE TABLE t (__time date)', { code: '0A000', message: 'column "__time" must be of type timestamptz or timestamp in a Polaris table' }],
      ['CREATE TABLE t (n bigint)', { code: '0A000', message: 'a Polaris table without a __time column is not supported by polaris-pg' }],
      ['CREATE TABLE t (__time timestamptz, n bigint PRIMARY KEY)', { code: '0A000', message: 'a constraint on column "n" of a Polaris table is not supported by polaris-pg' }],
      ['CREATE TABLE t (__time timestamptz, n bigint, UNIQUE (n))', { code: '0A000', message: 'a table constraint in CREATE TABLE on Polaris is not supported by polaris-pg' }],
      ['CREATE TABLE t (__time timestamptz, n bigint, n text)', { code: '42701', message: 'column "n" specified more than once' }],
      ['CREATE TABLE t (__time timestamptz) WITH (schema_mode = loose)', { code: '22023', message: 'invalid value for enum option "schema_mode": loose' }],
      ['CREATE TABLE t (__time timestamptz) WITH (fillfactor = 70)', { code: '22023', message: 'unrecognized parameter "fillfactor"' }],
      ["CREATE TABLE t (__time timestamptz) WITH (clustering = 'zz')", { code: '42703', message: 'column "zz" named in clustering does not exist' }],
    ];
    for (const [sql, error] of cases) expect(() => plan(sql), sql).toThrow(expect.objectContaining(error));
  });
});
