import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../../src/driver/index.js';
import { startFakeDruid, type FakeColumn, type FakeDruid, type FakeValue } from '../../support/fake-druid.js';
import { SCHEMA_COLUMNS, queryText } from '../../support/fake-schema.js';

/** Typed values, parameters and Arrow types of the driver over a scripted Druid result. */
const COLUMNS: FakeColumn[] = [
  { name: '__time', nativeType: 'LONG', sqlType: 'TIMESTAMP' },
  { name: 'big', nativeType: 'LONG', sqlType: 'BIGINT' },
  { name: 'x', nativeType: 'DOUBLE', sqlType: 'DOUBLE' },
  { name: 'tag', nativeType: 'STRING', sqlType: 'VARCHAR' },
  { name: 'd', nativeType: 'LONG', sqlType: 'DATE' },
  { name: 'amount', nativeType: 'DOUBLE', sqlType: 'DECIMAL' },
  { name: 'ids', nativeType: 'ARRAY<LONG>', sqlType: 'ARRAY' },
];
const BIG = 9007199254740993n;
const ROWS: FakeValue[][] = [
  ['2026-01-05T03:04:05.120Z', BIG, 1.5, 'a', '2026-01-05T00:00:00.000Z', 12.25, [1, 2]],
  ['2026-01-06T00:00:00.000Z', -1, null, 'a', '2026-01-06T00:00:00.000Z', 0.1, []],
  ['2026-01-07T00:00:00.000Z', null, 2, null, null, null, null],
  ['2026-01-08T00:00:00.000Z', 3, 4, 'b', '2026-01-08T00:00:00.000Z', 3, [3]],
];

let fake: FakeDruid;
let conn: Connection;

beforeAll(async () => {
  fake = await startFakeDruid({
    handler: (request, reply) => {
      if (queryText(request).includes('INFORMATION_SCHEMA.COLUMNS')) {
        reply.result(SCHEMA_COLUMNS, COLUMNS.map((c, i) => ['t', c.name, i + 1, c.sqlType, c.name === '__time' ? 'NO' : 'YES']));
        return;
      }
      reply.result(COLUMNS, ROWS);
    },
  });
  conn = await connect({ druidUrl: fake.url }, { settings: { TimeZone: 'UTC' } });
});
afterAll(async () => {
  await conn?.close();
  await fake?.close();
});

describe('driver values', () => {
  it('reads int8 exactly as bigint, numeric as text, timestamps and dates as Dates, arrays as arrays', async () => {
    const [first, second, third] = await (await conn.query('SELECT __time, big, x, tag, d, amount, ids FROM t')).all();
    expect(first?.toObject()).toEqual({
      __time: new Date('2026-01-05T03:04:05.120Z'),
      big: BIG,
      x: 1.5,
      tag: 'a',
      d: new Date('2026-01-05T00:00:00.000Z'),
      amount: '12.25',
      ids: [1n, 2n],
    });
    expect(first?.getString('__time')).toBe('2026-01-05 03:04:05.12+00');
    expect(first?.getEpochMillis('__time')).toBe(Date.UTC(2026, 0, 5, 3, 4, 5, 120));
    expect(second?.getBigInt('big')).toBe(-1n);
    expect(second?.isNull('x')).toBe(true);
    expect(third?.get('ids')).toBeNull();
  });

  it('binds $n parameters with their inferred Druid types', async () => {
    await (await conn.query('SELECT big FROM t WHERE big = $1 AND tag = $2', [BIG, 'a'])).all();
    const request = fake.requests.filter((r) => r.method === 'POST').at(-1);
    expect(request?.rawBody).toContain('{"type":"BIGINT","value":9007199254740993}');
    expect(request?.rawBody).toContain('{"type":"VARCHAR","value":"a"}');
  });

  it('refuses catalog and session statements with 0A000, several statements with 42601', async () => {
    await expect(conn.prepare('SELECT relname FROM pg_class')).rejects.toMatchObject({ code: '0A000' });
    await expect(conn.prepare('SET TimeZone = UTC')).rejects.toMatchObject({ code: '0A000' });
    await expect(conn.prepare('SELECT 1 FROM t; SELECT 2 FROM t')).rejects.toMatchObject({ code: '42601' });
    expect(() => conn.set('TimeZone', 'Not/AZone')).toThrow(expect.objectContaining({ code: '22023' }));
  });

  it('builds Arrow batches with the documented types, a dictionary for low-cardinality text', async () => {
    const table = await (await conn.query('SELECT __time, big, x, tag, d, amount, ids FROM t')).arrowTable({ batchSize: 2 });
    expect(table.batches).toHaveLength(2);
    expect(table.schema.fields.map((f) => String(f.type))).toEqual([
      'Timestamp<MILLISECOND, UTC>',
      'Int64',
      'Float64',
      'Dictionary<Int32, Utf8>',
      'Date32<DAY>',
      'Utf8',
      'List<Int64>',
    ]);
    expect(table.getChild('big')?.toArray()).toEqual(new BigInt64Array([BIG, -1n, 0n, 3n]));
    expect(table.getChild('big')?.get(2)).toBeNull();
    expect([...(table.getChild('tag') ?? [])]).toEqual(['a', 'a', null, 'b']);
    expect(table.getChild('amount')?.get(1)).toBe('0.1');
    expect([...(table.getChild('ids')?.get(0) ?? [])]).toEqual([1n, 2n]);
    expect(table.getChild('__time')?.get(0)).toBe(Date.UTC(2026, 0, 5, 3, 4, 5, 120));
  });
});
