import { describe, expect, it } from 'vitest';
import { pgTypeByOid, pgTypeFor } from '../../../src/types/druid-to-pg.js';
import { numericTextFromBinary } from '../../../src/types/numeric.js';
import { Oid } from '../../../src/types/oids.js';

const ctx = { timeZone: 'UTC', dateStyle: 'ISO, MDY', extraFloatDigits: 1 };
const T = (sqlType: string, nativeType: string | null = null) => pgTypeFor({ sqlType, nativeType });

// x::numeric::text, numeric_send(x::numeric) from PostgreSQL 15.18.
const NUMERIC: Array<[string, string]> = [
  ['1.5', '000200000000000100011388'],
  ['0.00000015', '0001fffe00000008000f'],
  ['1000000000000000000000', '0001000500000000000a'],
  ['0', '0000000000000000'],
  ['0.000', '0000000000000003'],
  ['-12345.6789', '0003000140000004000109291a85'],
  ['NaN', '00000000c0000000'],
  ['Infinity', '00000000d0000020'],
  ['-Infinity', '00000000f0000020'],
  ['123456789.000123', '0005000200000006000109291a85000108fc'],
  ['9999.9999', '0002000000000004270f270f'],
  ['10000', '00010001000000000001'],
  ['0.1', '0001ffff0000000103e8'],
  ['-0.5', '0001ffff400000011388'],
];

describe('numeric', () => {
  const numeric = T('DECIMAL');
  it.each(NUMERIC)('%s: text and numeric_send bytes', (text, hex) => {
    expect(numeric.toText(text, ctx)).toBe(text);
    expect(numeric.toBinary(text, ctx).toString('hex')).toBe(hex);
    expect(numericTextFromBinary(Buffer.from(hex, 'hex'))).toBe(text);
  });

  it('prints doubles without exponent', () => {
    expect(numeric.toText(1e21, ctx)).toBe('1000000000000000000000');
    expect(numeric.toText(1.5e-7, ctx)).toBe('0.00000015');
    expect(numeric.toText(-0, ctx)).toBe('0');
    expect(numeric.toText(NaN, ctx)).toBe('NaN');
    expect(numeric.toBinary(1.5e-7, ctx).toString('hex')).toBe('0001fffe00000008000f');
  });
});

describe('integers and bool', () => {
  it('prints exact digits, int8 from bigint', () => {
    expect(T('BIGINT').toText(9007199254740993n, ctx)).toBe('9007199254740993');
    expect(T('BIGINT').toText(1e21, ctx)).toBe('1000000000000000000000');
    expect(T('BIGINT').toText('-12', ctx)).toBe('-12');
    expect(T('INTEGER').toText(42, ctx)).toBe('42');
  });

  it('sends big-endian bytes like int8send/int4send/int2send', () => {
    expect(T('BIGINT').toBinary(-9007199254740993n, ctx).toString('hex')).toBe('ffdfffffffffffff');
    expect(T('INTEGER').toBinary(-2, ctx).toString('hex')).toBe('fffffffe');
    expect(T('SMALLINT').toBinary(300, ctx).toString('hex')).toBe('012c');
    expect(() => T('INTEGER').toBinary(2 ** 31, ctx)).toThrow('integer out of range');
  });

  it('bool from true/false, 1/0 and strings', () => {
    const bool = T('BOOLEAN');
    expect([true, false, 1, 0, 'true', 'false'].map((v) => bool.toText(v, ctx))).toEqual(['t', 'f', 't', 'f', 't', 'f']);
    expect(bool.toBinary(true, ctx).toString('hex')).toBe('01');
    expect(bool.toBinary(0, ctx).toString('hex')).toBe('00');
  });
});

describe('text and json', () => {
  it('text prints strings as-is and other values as JSON', () => {
    const text = T('VARCHAR');
    expect(text.toText('héllo', ctx)).toBe('héllo');
    expect(text.toText({ a: [1, 9007199254740993n] }, ctx)).toBe('{"a":[1,9007199254740993]}');
    expect(text.toBinary('é', ctx).toString('hex')).toBe('c3a9');
  });

  it('json prints JSON text', () => {
    const json = T('OTHER', 'COMPLEX<json>');
    expect(json.oid).toBe(Oid.json);
    expect(json.toText('x', ctx)).toBe('"x"');
    expect(json.toText([1, { a: 'x' }], ctx)).toBe('[1,{"a":"x"}]');
    expect(json.toText(12345678901234567890n, ctx)).toBe('12345678901234567890');
  });

  it('jsonb prints with PostgreSQL spacing and sends version 1', () => {
    const jsonb = pgTypeByOid(Oid.jsonb);
    // '{"a":[1,2],"b":null}'::jsonb::text and jsonb_send('{"a":[1,2]}')
    expect(jsonb?.toText({ a: [1, 2], b: null }, ctx)).toBe('{"a": [1, 2], "b": null}');
    expect(jsonb?.toBinary({ a: [1, 2] }, ctx).toString('hex')).toBe('017b2261223a205b312c20325d7d');
  });

  it('uuid sends 16 bytes', () => {
    expect(pgTypeByOid(Oid.uuid)?.toBinary('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', ctx).toString('hex')).toBe(
      'a0eebc999c0b4ef8bb6d6bb9bd380a11',
    );
  });
});

describe('arrays', () => {
  const textArray = T('ARRAY', 'ARRAY<STRING>');
  const int8Array = T('ARRAY', 'ARRAY<LONG>');
  const float8Array = T('ARRAY', 'ARRAY<DOUBLE>');

  it('quotes text elements like array_out', () => {
    const items = ['a', '', 'NULL', 'null', 'b c', 'x"y', 'back\\slash', '{}', ',', null, 'é'];
    expect(textArray.toText(items, ctx)).toBe('{a,"","NULL","null","b c","x\\"y","back\\\\slash","{}",",",NULL,é}');
  });

  it('parses stringified arrays losslessly and nests', () => {
    expect(int8Array.toText('[1,9007199254740993,null]', ctx)).toBe('{1,9007199254740993,NULL}');
    expect(int8Array.toText([[1, 2], [3, 4]], ctx)).toBe('{{1,2},{3,4}}');
    expect(float8Array.toText([1.5, null, 'NaN'], ctx)).toBe('{1.5,NULL,NaN}');
    expect(textArray.toText('["alpha"]', ctx)).toBe('{alpha}');
  });

  it('sends array_send bytes', () => {
    expect(textArray.toBinary(['a', null, 'bc'], ctx).toString('hex')).toBe(
      '00000001000000010000001900000003000000010000000161ffffffff000000026263',
    );
    expect(int8Array.toBinary([1, 9007199254740993n], ctx).toString('hex')).toBe(
      '0000000100000000000000140000000200000001000000080000000000000001000000080020000000000001',
    );
    expect(float8Array.toBinary([[1.5, 2], [3, 4]], ctx).toString('hex')).toBe(
      '0000000200000000000002bd00000002000000010000000200000001000000083ff8000000000000000000084000000000000000000000084008000000000000000000084010000000000000',
    );
    expect(int8Array.toBinary([], ctx).toString('hex')).toBe('000000000000000000000014');
    expect(() => int8Array.toBinary([[1], 2], ctx)).toThrow('matching dimensions');
  });

  it('quotes timestamptz elements', () => {
    const tsArray = pgTypeByOid(Oid.timestamptzArray);
    expect(tsArray?.toText(['2026-01-05T03:04:05Z'], { ...ctx, timeZone: 'America/New_York' })).toBe(
      '{"2026-01-04 22:04:05-05"}',
    );
  });
});

describe('type mapping', () => {
  it('maps Druid SQL types per the gateway table', () => {
    const oids = [
      T('TIMESTAMP', 'LONG'),
      pgTypeFor({ sqlType: 'TIMESTAMP', nativeType: 'LONG' }, { timestampType: 'timestamp' }),
      T('DATE'),
      T('BIGINT'),
      T('INTEGER'),
      T('SMALLINT'),
      T('TINYINT'),
      T('DOUBLE'),
      T('FLOAT'),
      T('REAL'),
      T('DECIMAL'),
      T('BOOLEAN'),
      T('VARCHAR'),
      T('CHAR'),
      T('ARRAY', 'ARRAY<LONG>'),
      T('ARRAY', 'ARRAY<DOUBLE>'),
      T('ARRAY', 'ARRAY<FLOAT>'),
      T('ARRAY', 'ARRAY<STRING>'),
      T('OTHER', 'COMPLEX<json>'),
      T('OTHER', 'COMPLEX<HLLSketch>'),
      T('NULL'),
      T('INTERVAL_DAY'),
    ].map((t) => t.oid);
    expect(oids).toEqual([1184, 1114, 1082, 20, 23, 21, 21, 701, 700, 700, 1700, 16, 25, 25, 1016, 1022, 1021, 1009, 114, 25, 25, 25]);
  });

  it('looks types up by OID with typlen', () => {
    expect(pgTypeByOid(20)?.typlen).toBe(8);
    expect(pgTypeByOid(1009)?.name).toBe('_text');
    expect(pgTypeByOid(1700)?.typlen).toBe(-1);
    expect(pgTypeByOid(1186)).toBeUndefined();
  });
});
