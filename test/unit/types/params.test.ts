import { describe, expect, it } from 'vitest';
import { PgError } from '../../../src/errors/pg-error.js';
import { Oid } from '../../../src/types/oids.js';
import { decodeParameter, parameterTypeName, type ParamValue } from '../../../src/types/params.js';
import { toDruidParameter } from '../../../src/types/to-druid.js';

const text = (oid: number, s: string | null) => decodeParameter(oid, 0, s === null ? null : Buffer.from(s, 'utf8'));
const bin = (oid: number, hex: string) => decodeParameter(oid, 1, Buffer.from(hex, 'hex'), 2);

function pgError(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof PgError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a PgError');
}

describe('decodeParameter: text format', () => {
  it('parses integers with PostgreSQL errors', () => {
    expect(text(Oid.int8, ' 42 ')).toEqual({ kind: 'int', value: 42n });
    expect(text(Oid.int8, '-9223372036854775808')).toEqual({ kind: 'int', value: -9223372036854775808n });
    // Messages and SQLSTATEs as PostgreSQL 15 reports them.
    expect(pgError(() => text(Oid.int8, 'abc'))).toEqual({ code: '22P02', message: 'invalid input syntax for type bigint: "abc"' });
    expect(pgError(() => text(Oid.int8, '1.5'))).toEqual({ code: '22P02', message: 'invalid input syntax for type bigint: "1.5"' });
    expect(pgError(() => text(Oid.int4, '3000000000'))).toEqual({
      code: '22003',
      message: 'value "3000000000" is out of range for type integer',
    });
    expect(pgError(() => text(Oid.int2, '70000'))).toEqual({ code: '22003', message: 'value "70000" is out of range for type smallint' });
  });

  it('parses floats, numerics and booleans', () => {
    expect(text(Oid.float8, '  -infinity')).toEqual({ kind: 'float', value: -Infinity });
    expect(text(Oid.float8, '1.5e3')).toEqual({ kind: 'float', value: 1500 });
    expect(pgError(() => text(Oid.float8, 'x'))).toEqual({ code: '22P02', message: 'invalid input syntax for type double precision: "x"' });
    expect(pgError(() => text(Oid.float8, '1e400'))).toEqual({ code: '22003', message: '"1e400" is out of range for type double precision' });
    expect(text(Oid.numeric, '1e3')).toEqual({ kind: 'numeric', value: '1000' });
    expect(text(Oid.numeric, '-1.50e-2')).toEqual({ kind: 'numeric', value: '-0.0150' });
    expect(pgError(() => text(Oid.numeric, 'x'))).toEqual({ code: '22P02', message: 'invalid input syntax for type numeric: "x"' });
    expect(text(Oid.bool, ' yes ')).toEqual({ kind: 'bool', value: true });
    expect(text(Oid.bool, 'of')).toEqual({ kind: 'bool', value: false });
    expect(pgError(() => text(Oid.bool, 'maybe'))).toEqual({ code: '22P02', message: 'invalid input syntax for type boolean: "maybe"' });
  });

  it('parses dates and timestamps', () => {
    expect(text(Oid.date, '2026-01-05')).toEqual({ kind: 'date', value: 20458 });
    expect(text(Oid.timestamp, '2026-01-05 03:04:05.12+00')).toEqual({ kind: 'timestamp', value: { ms: 1767582245120, micros: 0 } });
    expect(text(Oid.timestamptz, '2026-01-05T03:04:05.12+05:30')).toEqual({
      kind: 'timestamptz',
      value: { ms: 1767562445120, micros: 0 },
    });
    expect(text(Oid.timestamptz, '2026-01-05 03:04:05 America/New_York')).toEqual({
      kind: 'timestamptz',
      value: { ms: 1767600245000, micros: 0 },
    });
    expect(text(Oid.timestamptz, '2026-01-05 03:04:05.000001')).toEqual({ kind: 'timestamp', value: { ms: 1767582245000, micros: 1 } });
    expect(pgError(() => text(Oid.date, 'x'))).toEqual({ code: '22007', message: 'invalid input syntax for type date: "x"' });
    expect(pgError(() => text(Oid.timestamptz, 'x'))).toEqual({
      code: '22007',
      message: 'invalid input syntax for type timestamp with time zone: "x"',
    });
    expect(pgError(() => text(Oid.timestamp, '2026-02-30 00:00'))).toEqual({
      code: '22008',
      message: 'date/time field value out of range: "2026-02-30 00:00"',
    });
  });

  it('keeps unknown and text-like values as text, and NULL as null', () => {
    expect(text(0, 'abc')).toEqual({ kind: 'text', value: 'abc' });
    expect(text(Oid.varchar, 'é')).toEqual({ kind: 'text', value: 'é' });
    expect(text(Oid.int8, null)).toEqual({ kind: 'null' });
  });
});

describe('decodeParameter: binary format', () => {
  // Bytes from PostgreSQL 15 int8send/int4send/int2send/float8send/numeric_send/date_send/timestamptz_send.
  it('decodes fixed-width numbers and bool', () => {
    expect(bin(Oid.int8, 'ffdfffffffffffff')).toEqual({ kind: 'int', value: -9007199254740993n });
    expect(bin(Oid.int4, 'fffffffe')).toEqual({ kind: 'int', value: -2n });
    expect(bin(Oid.int2, '012c')).toEqual({ kind: 'int', value: 300n });
    expect(bin(Oid.float8, '3fb999999999999a')).toEqual({ kind: 'float', value: 0.1 });
    expect(bin(Oid.float4, '3dcccccd')).toEqual({ kind: 'float', value: Math.fround(0.1) });
    expect(bin(Oid.bool, '01')).toEqual({ kind: 'bool', value: true });
  });

  it('decodes numeric, text, uuid, jsonb', () => {
    expect(bin(Oid.numeric, '0003000140000004000109291a85')).toEqual({ kind: 'numeric', value: '-12345.6789' });
    expect(bin(Oid.numeric, '0001fffe00000008000f')).toEqual({ kind: 'numeric', value: '0.00000015' });
    expect(bin(Oid.text, 'c3a9')).toEqual({ kind: 'text', value: 'é' });
    expect(bin(Oid.uuid, 'a0eebc999c0b4ef8bb6d6bb9bd380a11')).toEqual({ kind: 'text', value: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' });
    expect(bin(Oid.jsonb, '017b7d')).toEqual({ kind: 'text', value: '{}' });
  });

  it('decodes dates and timestamps', () => {
    expect(bin(Oid.date, '0000251d')).toEqual({ kind: 'date', value: 20458 });
    expect(bin(Oid.date, 'ffffffff')).toEqual({ kind: 'date', value: 10956 });
    expect(bin(Oid.timestamptz, '0002ea9e457f4980')).toEqual({ kind: 'timestamptz', value: { ms: 1767600245123, micros: 456 } });
    expect(bin(Oid.timestamp, 'ffef2ee5ba114000')).toEqual({ kind: 'timestamp', value: { ms: -3786825600000, micros: 0 } });
  });

  it('rejects wrong lengths and unsupported types', () => {
    expect(pgError(() => bin(Oid.int4, '0001'))).toEqual({ code: '22P03', message: 'incorrect binary data format in bind parameter 2' });
    expect(pgError(() => bin(Oid.interval, '00')).code).toBe('0A000');
    expect(pgError(() => bin(Oid.date, '7fffffff')).code).toBe('0A000');
  });
});

describe('toDruidParameter', () => {
  const t = (value: string): ParamValue => ({ kind: 'text', value });

  it('converts text to the inferred type', () => {
    expect(toDruidParameter(t('42'), 'BIGINT')).toEqual({ type: 'BIGINT', value: 42 });
    expect(toDruidParameter(t('9007199254740993'), 'BIGINT')).toEqual({ type: 'BIGINT', value: 9007199254740993n });
    expect(toDruidParameter(t('1.25'), 'DOUBLE')).toEqual({ type: 'DOUBLE', value: 1.25 });
    expect(toDruidParameter(t('1.25'), 'DECIMAL')).toEqual({ type: 'DECIMAL', value: 1.25 });
    expect(toDruidParameter(t('on'), 'BOOLEAN')).toEqual({ type: 'BOOLEAN', value: true });
    expect(toDruidParameter(t('x y'), 'VARCHAR')).toEqual({ type: 'VARCHAR', value: 'x y' });
    expect(pgError(() => toDruidParameter(t('abc'), 'BIGINT'))).toEqual({ code: '22P02', message: 'invalid input syntax for type bigint: "abc"' });
    expect(pgError(() => toDruidParameter(t('3000000000'), 'INTEGER')).code).toBe('22003');
  });

  it('binds NULL with the slot type', () => {
    expect(toDruidParameter(null, 'BIGINT')).toEqual({ type: 'BIGINT', value: null });
    expect(toDruidParameter({ kind: 'null' }, 'VARCHAR')).toEqual({ type: 'VARCHAR', value: null });
  });

  it('keeps typed values and widens fractional numbers', () => {
    expect(toDruidParameter({ kind: 'int', value: 7n }, 'DOUBLE')).toEqual({ type: 'DOUBLE', value: 7 });
    expect(toDruidParameter({ kind: 'float', value: 2.5 }, 'BIGINT')).toEqual({ type: 'DOUBLE', value: 2.5 });
    expect(toDruidParameter({ kind: 'numeric', value: '12' }, 'BIGINT')).toEqual({ type: 'BIGINT', value: 12 });
    expect(toDruidParameter({ kind: 'float', value: 0.1 }, 'VARCHAR')).toEqual({ type: 'VARCHAR', value: '0.1' });
    expect(toDruidParameter({ kind: 'bool', value: true }, 'VARCHAR')).toEqual({ type: 'VARCHAR', value: 'true' });
    expect(pgError(() => toDruidParameter({ kind: 'float', value: NaN }, 'DOUBLE')).code).toBe('0A000');
    expect(pgError(() => toDruidParameter({ kind: 'date', value: 1 }, 'BIGINT'))).toEqual({
      code: '42804',
      message: 'cannot cast type date to bigint',
    });
  });

  it('binds timestamps as session wall-clock (Druid reads TIMESTAMP parameters in sqlTimeZone)', () => {
    const ny = { timeZone: 'America/New_York' };
    expect(toDruidParameter(t('2026-01-05 03:04:05.12+00'), 'TIMESTAMP', ny)).toEqual({
      type: 'TIMESTAMP',
      value: '2026-01-04T22:04:05.120',
    });
    expect(toDruidParameter(t('2026-01-05T03:04:05Z'), 'TIMESTAMP', { timeZone: 'UTC' })).toEqual({
      type: 'TIMESTAMP',
      value: '2026-01-05T03:04:05.000',
    });
    expect(toDruidParameter(t('2026-01-05 03:04:05'), 'TIMESTAMP', ny)).toEqual({ type: 'TIMESTAMP', value: '2026-01-05T03:04:05.000' });
    expect(toDruidParameter(t('2026-01-05'), 'TIMESTAMP', ny)).toEqual({ type: 'TIMESTAMP', value: '2026-01-05T00:00:00.000' });
    expect(toDruidParameter(bin(Oid.timestamptz, '0002ea9e457f4980'), 'TIMESTAMP', { timeZone: 'Asia/Kolkata' })).toEqual({
      type: 'TIMESTAMP',
      value: '2026-01-05T13:34:05.123',
    });
    expect(toDruidParameter(text(Oid.timestamp, '2026-03-08 02:30:00'), 'TIMESTAMP', ny)).toEqual({
      type: 'TIMESTAMP',
      value: '2026-03-08T02:30:00.000',
    });
  });

  it('binds dates as YYYY-MM-DD', () => {
    const ny = { timeZone: 'America/New_York' };
    expect(toDruidParameter(t('2026-01-05'), 'DATE', ny)).toEqual({ type: 'DATE', value: '2026-01-05' });
    expect(toDruidParameter(text(Oid.timestamptz, '2026-01-05 03:00:00+00'), 'DATE', ny)).toEqual({ type: 'DATE', value: '2026-01-04' });
    expect(toDruidParameter({ kind: 'date', value: 20458 }, 'VARCHAR')).toEqual({ type: 'VARCHAR', value: '2026-01-05' });
  });

  it('falls back to the natural Druid type for other slot types', () => {
    expect(toDruidParameter({ kind: 'int', value: 3n }, 'OTHER')).toEqual({ type: 'BIGINT', value: 3 });
    expect(toDruidParameter(t('a'), 'OTHER')).toEqual({ type: 'VARCHAR', value: 'a' });
  });
});

describe('parameterTypeName', () => {
  it('uses format_type names', () => {
    expect([20, 23, 21, 25, 701, 700, 1700, 16, 1114, 1184, 1082, 0, 1043].map(parameterTypeName)).toEqual([
      'bigint',
      'integer',
      'smallint',
      'text',
      'double precision',
      'real',
      'numeric',
      'boolean',
      'timestamp without time zone',
      'timestamp with time zone',
      'date',
      'unknown',
      'character varying',
    ]);
  });
});
