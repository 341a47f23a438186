import { describe, expect, it } from 'vitest';
import { parseJsonLine } from '../../../src/backend/lossless-json.js';
import type { DruidValue, RawRows } from '../../../src/schema/druid.js';
import type { ResultColumn } from '../../../src/exec/row-source.js';
import { RowTranscoder } from '../../../src/session/row-transcoder.js';
import { pgTypeFor } from '../../../src/types/druid-to-pg.js';
import type { OutputContext } from '../../../src/types/pg-type.js';
import { BackendWriter } from '../../../src/wire/backend-writer.js';
import type { FormatCode } from '../../../src/wire/messages.js';

const column = (sqlType: string, nativeType: string | null = null, timestampType: 'timestamptz' | 'timestamp' = 'timestamptz'): ResultColumn => ({
  name: 'c',
  type: pgTypeFor({ sqlType, nativeType }, { timestampType }),
});
const TS = (kind: 'timestamptz' | 'timestamp'): ResultColumn => column('TIMESTAMP', 'LONG', kind);

function rawRows(lines: readonly string[]): RawRows {
  const bufs = lines.map((l) => Buffer.from(l, 'utf8'));
  return { bufs, starts: bufs.map(() => 0), ends: bufs.map((b) => b.length), from: 0, to: bufs.length, firstRow: 1 };
}

/** The lines as Druid's body holds them: one chunk, each line followed by a line feed and the next line. */
function sharedRawRows(lines: readonly string[]): RawRows {
  const buf = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = 0; at < buf.length; at = (ends[ends.length - 1] as number) + 1) {
    starts.push(at);
    ends.push(buf.indexOf(0x0a, at));
  }
  return { bufs: starts.map(() => buf), starts, ends, from: 0, to: starts.length, firstRow: 1 };
}

/** The DataRows written from raw lines, and the ones the value encoders write from the decoded rows. */
function both(columns: ResultColumn[], formats: FormatCode[], ctx: OutputContext, lines: string[]): [Buffer, Buffer] {
  const viaBytes = new BackendWriter();
  new RowTranscoder(columns, formats, ctx).writeRaw(viaBytes, rawRows(lines), 0, lines.length);
  const viaValues = new BackendWriter();
  new RowTranscoder(columns, formats, ctx).writeValues(viaValues, lines.map((l) => parseJsonLine(l) as DruidValue[]));
  return [viaBytes.flush(), viaValues.flush()];
}

/** The hex of the DataRows `write` produces into a new writer, or the message it fails with (with its line number dropped). */
function outcome(write: (writer: BackendWriter) => void): string {
  const writer = new BackendWriter();
  try {
    write(writer);
    return writer.flush().toString('hex');
  } catch (err) {
    return `error: ${(err as Error).message.replace(/^malformed result from the backend: row \d+ /, 'malformed: ')}`;
  }
}

const CTX: OutputContext = { timeZone: 'UTC', dateStyle: 'ISO, MDY', extraFloatDigits: 1 };

/** Doubles across magnitudes, including the fixed/exponential boundaries of float8out. */
function doubles(): number[] {
  const out = [0, -0, 1e-4, 9.999999999999999e-5, 1e15, 999999999999999.9, 1e15 - 1, 0.1, 1 / 3, 5e-324, 1.7976931348623157e308, 123456.789];
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 3000; i++) {
    const x = (random() - 0.5) * 10 ** Math.floor(random() * 44 - 22);
    out.push(x, Math.round(x * 1000) / 1000);
  }
  return out;
}

describe('RowTranscoder', () => {
  const scalarColumns = [TS('timestamptz'), column('VARCHAR'), column('BIGINT'), column('DOUBLE'), column('INTEGER'), column('SMALLINT'), TS('timestamp')];
  const lines = [
    '[1767225600000,"country-1",42,0.5,7,3,1767225600123]',
    '[-62135596800001,"a\\"b\\u00e9",-9007199254740993,1e400,-2147483648,-32768,0]',
    '[1767225600010,"héllo wörld ✓",9223372036854775807,-0.0,2147483647,32767,-1]',
    '[null,null,null,null,null,null,null]',
    '[0,"",0,1,0,0,253402300799999]',
    '[1767225600000 , "x" ,1, 2.5e-7,1,1,1]',
    '[1767225600000,"tab\\there",-0,100,1,1,1]',
    '[1767225600000,"x",1,"NaN",1,1,1]',
    '[1767225600000,"x",1,123456789012345678901234567890,1,1,1]',
  ];

  for (const zone of ['UTC', 'America/New_York', 'Asia/Kathmandu', '+05:30', 'Europe/Amsterdam']) {
    for (const formats of [[0], [1]] as FormatCode[][]) {
      it(`writes the value encoders' bytes (TimeZone ${zone}, format ${formats[0]})`, () => {
        const [viaBytes, viaValues] = both(scalarColumns, formats, { ...CTX, timeZone: zone }, lines);
        expect(viaBytes.equals(viaValues)).toBe(true);
      });
    }
  }

  it('prints doubles as float8out does, for every extra_float_digits', () => {
    const rows = doubles().map((x) => `[${JSON.stringify(x) === 'null' ? '0' : Object.is(x, -0) ? '-0.0' : String(x)}]`);
    for (const extraFloatDigits of [1, 0, -3, 3]) {
      for (const formats of [[0], [1]] as FormatCode[][]) {
        const [viaBytes, viaValues] = both([column('DOUBLE')], formats, { ...CTX, extraFloatDigits }, rows);
        expect(viaBytes.equals(viaValues)).toBe(true);
      }
    }
  });

  it('prints short decimals as float8out does, copied or not', () => {
    const tokens = ['0.0001', '-0.0001', '0.00009999', '0.0001234567890123', '0.00012345678901234', '999999999999999', '100000000000000', '1000000000000000', '999999999999999.9'];
    tokens.push('0.1', '-0.5', '5', '-5', '0', '-0', '0.0', '1.0', '12.340', '0.5e1', '123456789012345', '1234567890123456', '12345678.9012345', '1234567.89012345678');
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const digits = String(1 + random(9)) + Array.from({ length: random(17) }, () => String(random(10))).join('');
      const point = random(digits.length + 5) - 4;
      const text = point <= 0 ? '0.' + '0'.repeat(-point) + digits : point >= digits.length ? digits : `${digits.slice(0, point)}.${digits.slice(point)}`;
      tokens.push(random(2) === 0 ? text : '-' + text);
    }
    const rows = tokens.map((t) => `[${t}]`);
    for (const extraFloatDigits of [1, 0, 3]) {
      const [viaBytes, viaValues] = both([column('DOUBLE')], [0], { ...CTX, extraFloatDigits }, rows);
      expect(viaBytes.equals(viaValues)).toBe(true);
    }
  });

  it('renders timestamps across days, offsets, eras and DST changes as the value encoders do', () => {
    const rows: string[] = [];
    for (let ms = Date.UTC(2025, 2, 29); ms < Date.UTC(2025, 2, 31); ms += 997_001) rows.push(`[${ms},${ms}]`);
    // Also: the 15-digit extremes (5-digit years, AD and BC) and 1900, when Amsterdam's offset had seconds (+00:19:32).
    for (const ms of [-62198755200000, -62135596800000, -210866803200000, 4102444800000, 1, 999999999999999, -999999999999999, -2208988800000, -2208988799999]) rows.push(`[${ms},${ms}]`);
    for (const zone of ['Europe/Amsterdam', 'America/Sao_Paulo', 'UTC', 'Asia/Kathmandu']) {
      for (const formats of [[0], [1]] as FormatCode[][]) {
        const [viaBytes, viaValues] = both([TS('timestamptz'), TS('timestamp')], formats, { ...CTX, timeZone: zone }, rows);
        expect(viaBytes.equals(viaValues)).toBe(true);
      }
    }
  });

  it('writes array, JSON, boolean and decimal columns through their value encoders', () => {
    const columns = [column('ARRAY', 'ARRAY<LONG>'), column('OTHER', 'COMPLEX<json>'), column('BOOLEAN'), column('DECIMAL')];
    const rows = ['[[1,2,null],{"a":[1,{"b":"]"}]},true,1.50]', '[[],{},false,12345678901234567890]', '[null,"[\\"x\\"]",1,"2.5"]'];
    for (const formats of [[0], [1]] as FormatCode[][]) {
      const [viaBytes, viaValues] = both(columns, formats, CTX, rows);
      expect(viaBytes.equals(viaValues)).toBe(true);
    }
  });

  it('takes every JSON number shape and the edge values as the value encoders do', () => {
    const numbers = ['0', '-0', '-0.0', '1E5', '1e+5', '1e-5', '2.5E+300', '1e21', '1e400', '-1e400', '5e-324', '4.9e-324', '9007199254740993', '-9223372036854775808', '0.1', '123.456e-2', '1.0'];
    const strings = ['""', '"\\uD83D\\uDE00"', '"\\u00e9t\\u00e9"', '"a\\u0000b"', `"${'x'.repeat(32)}"`, `"${'y'.repeat(33)}"`, `"${'z'.repeat(300)}"`, '"\\\\"', '"\\/"'];
    const types = ['DOUBLE', 'VARCHAR', 'BIGINT', 'INTEGER', 'DECIMAL', 'FLOAT'];
    let written = 0;
    for (const formats of [[0], [1]] as FormatCode[][]) {
      for (const type of types) {
        for (const token of [...numbers, ...strings]) {
          const line = `[${token},null]`;
          const columns = [column(type), column(type)];
          const viaBytes = outcome((w) => new RowTranscoder(columns, formats, CTX).writeRaw(w, rawRows([line]), 0, 1));
          const viaValues = outcome((w) => new RowTranscoder(columns, formats, CTX).writeValues(w, [parseJsonLine(line) as DruidValue[]]));
          expect(viaBytes, `${type} ${line}`).toBe(viaValues);
          if (!viaBytes.startsWith('error')) written++;
        }
      }
    }
    // Most (type, token) pairs are values, not refusals.
    expect(written).toBeGreaterThan(types.length * (numbers.length + strings.length));
  });

  it('writes the edge values from lines that share one chunk as the value encoders do', () => {
    const columns = [TS('timestamptz'), column('VARCHAR'), column('VARCHAR'), column('BIGINT'), column('BIGINT'), column('DOUBLE'), column('INTEGER')];
    const lines = [
      '[1767225600000,"country-1","city-7",0,0,0.0,0]',
      '[1767225600001,"","\\uD83D\\uDE00",9007199254740993,-9223372036854775808,-0.0,-2147483648]',
      '[-62135596800001,"a\\u0000b","\\"q\\"",9223372036854775807,-9007199254740993,1e21,2147483647]',
      '[253402300799999,"NaN","Infinity",-1,1,1e-7,1]',
      '[0,"x","y",1,2,5e-324,3]',
      '[1,"x","y",1,2,1.7976931348623157e308,3]',
      '[1,"x","y",1,2,-1.7976931348623157e308,3]',
      '[1,"x","y",1,2,"NaN",3]',
      '[1,"x","y",1,2,"Infinity",3]',
      '[1,"x","y",1,2,"-Infinity",3]',
      '[null,null,null,null,null,null,null]',
      '[1,"héllo","✓",1,2,142857.14285714287,3]',
      '[1,"x","y",1,2,0.14285714285714285,3]',
      '[1,"x","y",1,2,1.0E10,3]',
    ];
    for (const formats of [[0], [1]] as FormatCode[][]) {
      for (const extraFloatDigits of [1, 0]) {
        const ctx = { ...CTX, extraFloatDigits };
        const viaBytes = new BackendWriter();
        new RowTranscoder(columns, formats, ctx).writeRaw(viaBytes, sharedRawRows(lines), 0, lines.length);
        const viaValues = new BackendWriter();
        new RowTranscoder(columns, formats, ctx).writeValues(viaValues, lines.map((l) => parseJsonLine(l) as DruidValue[]));
        expect(viaBytes.flush().toString('hex'), `format ${formats[0]}, extra_float_digits ${extraFloatDigits}`).toBe(viaValues.flush().toString('hex'));
      }
    }
  });

  it('refuses number tokens outside JSON as the decoder does', () => {
    const transcoder = new RowTranscoder([column('DOUBLE'), column('BIGINT')], [], CTX);
    for (const bad of ['1.', '.5', '00.5', '-01.5', '1e', '1e+', '-', '01', '+1', '1.e5', '0x10', '1_0', 'Infinity', 'NaN', '--1']) {
      expect(() => transcoder.writeRaw(new BackendWriter(), rawRows([`[${bad},1]`]), 0, 1), bad).toThrow(/row 1 is not valid JSON/);
      expect(() => transcoder.writeRaw(new BackendWriter(), rawRows([`[1.5,${bad}]`]), 0, 1), bad).toThrow(/row 1 is not valid JSON/);
    }
  });

  it('fails a malformed line with the decoder error and drops the rows of the batch', () => {
    const writer = new BackendWriter();
    const transcoder = new RowTranscoder([column('BIGINT'), column('VARCHAR')], [], CTX);
    expect(() => transcoder.writeRaw(writer, rawRows(['[1,"a"]', '[2,"b"', '[3,"c"]']), 0, 3)).toThrow(/malformed result from the backend: row 2 is not valid JSON/);
    expect(writer.length).toBe(0);
    expect(() => transcoder.writeRaw(writer, rawRows(['[1,"a"]', '[2]']), 0, 2)).toThrow(/row 2 has 1 values for 2 columns/);
    expect(() => transcoder.writeRaw(writer, rawRows(['[01,"a"]']), 0, 1)).toThrow(/row 1 is not valid JSON/);
    expect(() => transcoder.writeRaw(writer, rawRows(['[1,"a\u0001"]']), 0, 1)).toThrow(/row 1 is not valid JSON/);
  });

  it('keeps the rows before a value that cannot be encoded, as the value encoders do', () => {
    const writer = new BackendWriter();
    const transcoder = new RowTranscoder([column('INTEGER')], [1], CTX);
    expect(() => transcoder.writeRaw(writer, rawRows(['[1]', '[2147483648]']), 0, 2)).toThrow(/integer out of range/);
    const expected = new BackendWriter();
    new RowTranscoder([column('INTEGER')], [1], CTX).writeValues(expected, [[1]]);
    expect(writer.flush().equals(expected.flush())).toBe(true);
  });
});
