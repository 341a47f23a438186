import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it, vi } from 'vitest';
import { parseRowLine } from '../../../src/backend/row-line.js';
import { builders, Layout } from '../../../src/driver/arrow/batches.js';
import { Int64Read, readInt64 } from '../../../src/driver/arrow/int64-token.js';
import { IsoReader } from '../../../src/driver/arrow/iso-token.js';
import { NumberRead, readDecimal, readInteger, shortDecimal, smallInteger } from '../../../src/driver/arrow/number-token.js';
import type { ColumnInfo } from '../../../src/driver/columns.js';
import type { RawRows } from '../../../src/schema/druid.js';
import { pgTypeByOid } from '../../../src/types/druid-to-pg.js';
import { Oid } from '../../../src/types/oids.js';
import type { OutputContext } from '../../../src/types/pg-type.js';

/**
 * The Arrow path reads a batch of result lines column by column (src/driver/arrow/batch-lines.ts and
 * each builder's scan()): for every value it must give what reading the batch line by line (the
 * previous path, Layout.fromLinesByRow) and what building from the decoded values give.
 */

function column(name: string, oid: number): ColumnInfo {
  const type = pgTypeByOid(oid);
  return { name, pgType: type?.name ?? '', typeOid: oid, druidType: null, druidNativeType: null, nullable: null };
}

const COLUMNS = [
  column('ts', Oid.timestamptz),
  column('big', Oid.int8),
  column('x', Oid.float8),
  column('tag', Oid.text),
  column('label', Oid.varchar),
  column('n', Oid.int4),
  column('s', Oid.int2),
  column('f', Oid.float4),
  column('d', Oid.date),
  column('w', Oid.timestamp),
  column('b', Oid.bool),
  column('num', Oid.numeric),
  column('arr', Oid.int8Array),
];

/** Edge values per column as Druid writes them (JSON tokens); row r takes value r of each list, cycling. */
const VALUES: string[][] = [
  [
    '"2026-03-08T06:59:59.999Z"', // New York: the last instant of EST
    '"2026-03-08T07:00:00.000Z"', // ... and the first of EDT
    '"2026-11-01T05:59:59.999Z"',
    '"2026-11-01T06:00:00.000Z"',
    '"2024-02-29T23:59:59.999Z"',
    '"2023-02-28T00:00:00.000Z"',
    '"2000-02-29T12:00:00.000Z"',
    '"2100-02-28T12:00:00.000Z"',
    '"2026-01-31T23:59:59.999Z"',
    '"2026-04-30T01:02:03.004Z"',
    '"0000-01-01T00:00:00.000Z"',
    '"9999-12-31T23:59:59.999Z"',
    '"1969-12-31T23:59:59.999Z"',
    '1767225600000',
    '-1',
    'null',
    '"2026-03-08T01:59:59.999-05:00"',
    '"2026-03-08T03:00:00.000-04:00"',
  ],
  [
    '0', '-0', '1', '-1', '999999999999999', '-999999999999999', '1000000000000000', '9007199254740992', '9007199254740993',
    '9223372036854775807', '-9223372036854775808', '4294967296', '-4294967296', '4294967295', '-2147483649', '2147483648', 'null', '3.0',
    '999999999999999999', '-999999999999999999', '100000000000000000', '-100000000000000001', '-123456789012345678', '1000000000000000000',
  ],
  [
    '0', '-0', '-0.0', '0.1', '1.7976931348623157e308', '5e-324', '123456789012345.6', '1E2', '"NaN"', '"Infinity"', '"-Infinity"',
    '0.30000000000000004', '1.5', '-123.456', '100', 'null', '9007199254740993', '0.000001',
  ],
  ['"a"', '"b"', '""', 'null', '"\\u0062"', '"é"', '"😀"', '"\\ud83d\\ude00"', '"a"', '"b"', '"a b"', '"a"'],
  ['"plain"', '""', '"quote \\" and \\\\ and \\n"', '"é"', '"😀"', '"\\ud83d\\ude00"', '"\\u0001\\t"', 'null', '"1e2"', '"x,y]"'],
  ['2147483647', '-2147483648', '0', '-0', 'null', '3.0', '12'],
  ['32767', '-32768', '0', 'null', '-7'],
  ['0.1', '-0.0', '3.4028234663852886e38', '1e-45', '"NaN"', 'null', '16777217'],
  ['"2026-03-08T00:00:00.000Z"', '"2024-02-29T00:00:00.000Z"', 'null', '1767225600000', '"1969-12-31T00:00:00.000Z"'],
  ['"2026-03-08T02:30:00.000Z"', '"2026-11-01T01:30:00.000Z"', 'null', '1767225600000'],
  ['true', 'false', 'null', '1', '0'],
  ['"12.50"', '"-0.000001"', 'null', '3', '"123456789012345678901234567890.123"'],
  ['[1,2,null]', '[]', 'null', '[9223372036854775807,-9223372036854775808]'],
];

const ROWS = 72;

/** The column whose strings are made distinct (prefixed with their row number): high cardinality. */
const DISTINCT_COLUMN = 4;

function edgeLines(rows = ROWS): string[] {
  return Array.from({ length: rows }, (_v, r) => {
    const tokens = VALUES.map((values, i) => {
      const token = values[r % values.length] as string;
      return i === DISTINCT_COLUMN && token.startsWith('"') ? `"${r}:${token.slice(1)}` : token;
    });
    return `[${tokens.join(',')}]`;
  });
}

/** A raw batch of `lines`, each in its own buffer at an offset (as lines of different chunks). */
function rawOf(lines: readonly string[]): RawRows {
  const bufs = lines.map((l, k) => Buffer.from(`${'\n'.repeat(k % 3)}${l}\n`));
  const starts = lines.map((_l, k) => k % 3);
  const ends = lines.map((l, k) => (k % 3) + Buffer.byteLength(l));
  return { bufs, starts, ends, from: 0, to: lines.length, firstRow: 1 };
}

function context(timeZone: string): OutputContext {
  return { timeZone, dateStyle: 'ISO, MDY', extraFloatDigits: 1 };
}

function layout(columns: readonly ColumnInfo[], first: readonly string[], ctx: OutputContext): Layout {
  const rows = first.map((l, k) => parseRowLine(l, k + 1, columns.length));
  return new Layout(columns, builders(columns, rows, ctx, true));
}

/** Each value of a batch as apache-arrow reads it (dictionary columns decoded, lists as arrays). */
function cells(batch: RecordBatch): unknown[][] {
  return Array.from({ length: batch.numRows }, (_v, r) =>
    batch.schema.fields.map((_f, i) => {
      const v: unknown = batch.getChildAt(i)?.get(r);
      return v !== null && typeof v === 'object' && Symbol.iterator in v ? [...(v as Iterable<unknown>)] : v;
    }),
  );
}

/** The three ways to build a batch of `lines`, each with builders of its own. */
function threeWays(columns: readonly ColumnInfo[], lines: readonly string[], ctx: OutputContext): { columnar: RecordBatch; byRow: RecordBatch; values: RecordBatch } {
  const raw = rawOf(lines);
  const fast = layout(columns, lines, ctx);
  const byRow = vi.spyOn(fast, 'fromLinesByRow');
  const columnar = fast.fromLines(raw, 0, lines.length);
  expect(byRow, 'the batch was read column by column').not.toHaveBeenCalled();
  return {
    columnar,
    byRow: layout(columns, lines, ctx).fromLinesByRow(raw, 0, lines.length),
    values: layout(columns, lines, ctx).fromValues(lines.map((l, k) => parseRowLine(l, k + 1, columns.length))),
  };
}

describe('Arrow columns read column by column from result lines', () => {
  for (const zone of ['UTC', 'America/New_York', 'Asia/Kathmandu']) {
    it(`equal the line-by-line and decoded-value columns for edge values (TimeZone ${zone})`, () => {
      const { columnar, byRow, values } = threeWays(COLUMNS, edgeLines(), context(zone));
      expect(columnar.schema.fields.map((f) => String(f.type))).toEqual(values.schema.fields.map((f) => String(f.type)));
      expect(String(columnar.schema.fields[3]?.type)).toBe('Dictionary<Int32, Utf8>');
      expect(String(columnar.schema.fields[4]?.type)).toBe('Utf8');
      const expected = cells(values);
      // toEqual compares numbers with Object.is: -0 and 0 differ, NaN equals NaN.
      expect(cells(columnar)).toEqual(expected);
      expect(cells(byRow)).toEqual(expected);
      expect(columnar.getChild('x')?.get(1)).toBe(-0);
      expect(columnar.getChild('big')?.get(8)).toBe(9007199254740993n);
      expect(columnar.getChild('big')?.get(10)).toBe(-9223372036854775808n);
      expect(columnar.getChild('ts')?.get(1)).toBe(Date.UTC(2026, 2, 8, 7));
      expect(columnar.getChild('ts')?.get(17)).toBe(Date.UTC(2026, 2, 8, 7));
      expect(columnar.getChild('label')?.get(5)).toBe('5:😀');
    });
  }

  it('fall back to reading line by line for a line outside the compact form, with the same values', () => {
    const lines = edgeLines(8);
    lines[5] = ` ${(lines[5] as string).replace(/,/g, ' , ')} `;
    const ctx = context('UTC');
    const fast = layout(COLUMNS, lines, ctx);
    const byRow = vi.spyOn(fast, 'fromLinesByRow');
    const batch = fast.fromLines(rawOf(lines), 0, lines.length);
    expect(byRow).toHaveBeenCalledOnce();
    const decoded = layout(COLUMNS, lines, ctx).fromValues(lines.map((l, k) => parseRowLine(l, k + 1, COLUMNS.length)));
    expect(cells(batch)).toEqual(cells(decoded));
  });

  it('keep a dictionary across batches (new strings in later batches) and give high-cardinality text plain Utf8', () => {
    const columns = [column('tag', Oid.text), column('id', Oid.text)];
    const first = Array.from({ length: 15 }, (_v, k) => `["t${k % 5}","id-${k}"]`);
    const fast = layout(columns, first, context('UTC'));
    const one = fast.fromLines(rawOf(first), 0, first.length);
    const second = Array.from({ length: 40 }, (_v, k) => `["t${k % 7}","id-${15 + k}"]`);
    const two = fast.fromLines(rawOf(second), 0, 40);
    expect(String(one.schema.fields[0]?.type)).toBe('Dictionary<Int32, Utf8>');
    expect(String(one.schema.fields[1]?.type)).toBe('Utf8');
    expect([...(one.getChild('tag')?.data[0]?.dictionary ?? [])]).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect(cells(two)).toEqual(Array.from({ length: 40 }, (_v, k) => [`t${k % 7}`, `id-${15 + k}`]));
    expect([...(two.getChild('tag')?.data[0]?.dictionary ?? [])]).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6']);
  });

  it('grow a text column when a batch has longer strings than the previous one', () => {
    const columns = [column('id', Oid.text), column('n', Oid.int8)];
    const short = Array.from({ length: 20 }, (_v, k) => `["${k}",${k}]`);
    const long = Array.from({ length: 200 }, (_v, k) => `["${String(k).repeat(40)}",${k}]`);
    const fast = layout(columns, short, context('UTC'));
    fast.fromLines(rawOf(short), 0, short.length);
    const batch = fast.fromLines(rawOf(long), 0, long.length);
    expect(cells(batch)).toEqual(Array.from({ length: 200 }, (_v, k) => [String(k).repeat(40), BigInt(k)]));
  });

  it('raise the line-by-line error for a value that is not valid JSON', () => {
    const columns = [column('n', Oid.int8), column('s', Oid.text)];
    for (const bad of ['[01,"a"]', '[1,"a",2]', '["x\\q","a"]', '[1,"a"']) {
      const lines = ['[1,"a"]', bad];
      const fast = layout(columns, lines.slice(0, 1), context('UTC'));
      const byRow = layout(columns, lines.slice(0, 1), context('UTC'));
      const error = (f: () => unknown): unknown => {
        try {
          f();
          return null;
        } catch (err) {
          return err;
        }
      };
      const expected = error(() => byRow.fromLinesByRow(rawOf(lines), 0, 2));
      expect(expected).toMatchObject({ code: 'XX000' });
      expect(error(() => fast.fromLines(rawOf(lines), 0, 2))).toEqual(expected);
    }
  });
});

describe('number and timestamp readers', () => {
  /** A deterministic sequence (Park-Miller) for generated tokens. */
  function* tokens(count: number): Generator<string> {
    let seed = 42;
    const next = (n: number): number => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const digits = (n: number): string => Array.from({ length: n }, () => String(next(10))).join('');
    for (let k = 0; k < count; k++) {
      const sign = next(2) === 0 ? '-' : '';
      const whole = next(5) === 0 ? '0' : `${1 + next(9)}${digits(next(19))}`;
      const fraction = next(2) === 0 ? '' : `.${digits(next(10))}`;
      yield `${sign}${whole}${fraction}${next(8) === 0 ? `e${next(30)}` : ''}`;
    }
    yield* ['0', '-0', '00', '01', '-', '.5', '5.', '1..2', '1.2.3', '999999999999999', '1000000000000000', '0.000000000000001'];
  }

  it('read what smallInteger/shortDecimal read from a whole token, and nothing they do not', () => {
    const out = new NumberRead();
    for (const token of tokens(5000)) {
      const buf = Buffer.from(`${token},`);
      const e = token.length;
      const integer = readInteger(buf, 0, e + 1, out);
      expect(integer === e ? out.value : NaN, token).toBe(smallInteger(buf, 0, e));
      const decimal = readDecimal(buf, 0, e + 1, out);
      expect(decimal === e ? out.value : NaN, token).toBe(shortDecimal(buf, 0, e));
      if (decimal === e) expect(out.value, token).toBe(JSON.parse(token));
    }
  });

  it('read integers of up to 18 digits as their exact int64 words', () => {
    const out = new Int64Read();
    for (const token of tokens(5000)) {
      const buf = Buffer.from(`${token},`);
      const e = readInt64(buf, 0, buf.length, out);
      const integer = /^-?(0|[1-9][0-9]{0,17})$/.test(token);
      // Read up to the ',' exactly when the token is such an integer.
      expect(e === token.length, token).toBe(integer);
      if (!integer) continue;
      const words = new Int32Array([out.lo, out.hi]);
      expect(new BigInt64Array(words.buffer)[0], token).toBe(BigInt(token));
    }
  });

  it('read every valid date of Druid ISO timestamps as Date.parse does, and leave other dates to it', () => {
    const reader = new IsoReader();
    const pad = (n: number, w: number): string => String(n).padStart(w, '0');
    for (const year of [0, 1, 1900, 1969, 1970, 2000, 2023, 2024, 2026, 2100, 9999]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= 31; day++) {
          const date = new Date(0);
          date.setUTCFullYear(year, month - 1, day);
          const valid = date.getUTCDate() === day;
          for (const time of ['00:00:00.000', '23:59:59.999', '12:34:56.789']) {
            const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${time}Z`;
            const ms = reader.readText(Buffer.from(text), 0, text.length);
            expect(ms, text).toBe(valid ? Date.parse(text) : NaN);
          }
        }
      }
    }
    for (const text of ['2026-01-01T24:00:00.000Z', '2026-01-01T23:60:00.000Z', '2026-01-01T23:59:60.000Z', '2026-01-01 23:59:59.000Z', '2026-01-01T23:59:59.000+', '2026-00-01T00:00:00.000Z', '2026-01-00T00:00:00.000Z']) {
      expect(reader.readText(Buffer.from(text), 0, text.length), text).toBeNaN();
    }
  });
});
