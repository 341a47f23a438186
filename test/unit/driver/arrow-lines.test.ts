import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../../src/driver/index.js';
import { headerLines, startFakeDruid, type FakeColumn, type FakeDruid } from '../../support/fake-druid.js';
import { SCHEMA_COLUMNS, queryText } from '../../support/fake-schema.js';

/**
 * The Arrow path reads numbers, strings and timestamps straight from the bytes of Druid's result
 * lines: for edge values it must give exactly what the row path, which decodes each line as JSON,
 * gives. One line below has whitespace, so this batch is read line by line
 * (src/driver/arrow/line-tokens.ts); arrow-columns.test.ts compares the column-by-column reading.
 */
const COLUMNS: FakeColumn[] = [
  { name: '__time', nativeType: 'LONG', sqlType: 'TIMESTAMP' },
  { name: 'big', nativeType: 'LONG', sqlType: 'BIGINT' },
  { name: 'x', nativeType: 'DOUBLE', sqlType: 'DOUBLE' },
  { name: 'tag', nativeType: 'STRING', sqlType: 'VARCHAR' },
  { name: 'label', nativeType: 'STRING', sqlType: 'VARCHAR' },
  { name: 'n', nativeType: 'LONG', sqlType: 'INTEGER' },
];
/** Raw lines as Druid writes them, each an edge of one of the readers. */
const LINES = [
  '["2026-01-05T03:04:05.120Z",9223372036854775807,0.1,"a","plain",2147483647]',
  '["1969-12-31T23:59:59.999Z",-9223372036854775808,-0.0,"a","é",-2147483648]',
  '["2024-02-29T23:59:59.999Z",9007199254740993,1.7976931348623157e308,"b","quote \\" and \\\\ and \\n",0]',
  '["0001-01-01T00:00:00.000Z",999999999999999,0.30000000000000004,"a","",-0]',
  '["1970-01-01T00:00:00.000Z",-999999999999999,123456789012345.6,null,"😀",null]',
  '[1767225600000,1000000000000000,5e-324,"a",null,1]',
  '[null,-0,-123.456,"b","\\u0041\\u00e9",3.0]',
  '["2026-12-31T23:59:59.999+01:00",null,null,"a","x",2]',
  '["2026-01-01T00:00:00.000Z",0,0,"a","1e2",-1]',
  '["9999-12-28T23:59:59.999Z",12,100,"b","y",12]',
  '["2026-06-15T12:00:00.000Z",3.0,1E2,"a","z",1.5]',
  '["2026-06-15T12:00:00.000Z",-7,"NaN","a","z",7]',
  '[ "2026-06-15T12:00:00.000Z", 8 ,2.5,"b","spaced",8] ',
  '["2026-06-15T12:00:00.000Z",9,2.5,"\\u0062","escaped b",9]',
];

let fake: FakeDruid;
let conn: Connection;
let lines = LINES;

beforeAll(async () => {
  fake = await startFakeDruid({
    handler: (request, reply) => {
      if (queryText(request).includes('INFORMATION_SCHEMA.COLUMNS')) {
        reply.result(SCHEMA_COLUMNS, COLUMNS.map((c, i) => ['t', c.name, i + 1, c.sqlType, c.name === '__time' ? 'NO' : 'YES']));
        return;
      }
      reply.res.writeHead(200, { 'content-type': 'text/plain', 'x-druid-sql-header-included': 'yes' });
      reply.res.end(`${headerLines(COLUMNS)}${lines.map((l) => `${l}\n`).join('')}\n`);
    },
  });
  conn = await connect({ druidUrl: fake.url }, { settings: { TimeZone: 'UTC' } });
});
afterAll(async () => {
  await conn?.close();
  await fake?.close();
});

const SQL = 'SELECT __time, big, x, tag, label, n FROM t';

/** Each cell of the Arrow table as the row path's value: timestamps as epoch ms. */
function arrowCells(table: Table): unknown[][] {
  return Array.from({ length: table.numRows }, (_v, r) => COLUMNS.map((_c, i) => table.getChildAt(i)?.get(r) ?? null));
}

describe('Arrow from raw result lines', () => {
  it('gives the row path values for edge numbers, strings and timestamps', async () => {
    lines = LINES;
    const rows = await (await conn.query(SQL)).all();
    const expected = rows.map((row) => COLUMNS.map((_c, i) => (row.isNull(i) ? null : i === 0 ? row.getEpochMillis(i) : row.get(i))));
    const table = await (await conn.query(SQL)).arrowTable();
    expect(String(table.schema.fields[3]?.type)).toBe('Dictionary<Int32, Utf8>');
    const cells = arrowCells(table);
    expect(cells).toHaveLength(LINES.length);
    cells.forEach((cells, r) => cells.forEach((cell, i) => expect(Object.is(cell, expected[r]?.[i]) || cell === expected[r]?.[i], `row ${r} column ${i}: ${String(cell)} vs ${String(expected[r]?.[i])}`).toBe(true)));
  });

  it('keeps exact int64 beyond 2^53 and negative zero', async () => {
    lines = LINES;
    const table = await (await conn.query(SQL)).arrowTable();
    expect(table.getChild('big')?.get(0)).toBe(9223372036854775807n);
    expect(table.getChild('big')?.get(1)).toBe(-9223372036854775808n);
    expect(table.getChild('big')?.get(2)).toBe(9007199254740993n);
    expect(table.getChild('big')?.get(4)).toBe(-999999999999999n);
    expect(Object.is(table.getChild('x')?.get(1), -0)).toBe(true);
    // "\u0062" decoded is the "b" read from its bytes: one dictionary entry.
    expect([...(table.getChild('tag')?.data[0]?.dictionary ?? [])]).toEqual(['a', 'b']);
    expect(table.getChild('__time')?.get(3)).toBe(Date.parse('0001-01-01T00:00:00.000Z'));
  });

  it('fails a malformed line with the row path error (XX000)', async () => {
    for (const bad of ['[1,01,0,"a","b",1]', '["2026-01-01T00:00:00.000Z",1,0,"a","b"]']) {
      lines = [LINES[0] as string, bad];
      const rowError = await (await conn.query(SQL)).all().then(() => null, (err: Error) => err);
      const arrowError = await (await conn.query(SQL)).arrowTable().then(() => null, (err: Error) => err);
      expect(rowError).toMatchObject({ code: 'XX000' });
      expect(arrowError).toMatchObject({ code: 'XX000', message: rowError?.message });
    }
  });
});
