import { describe, expect, it } from 'vitest';
import { parseJsonLine } from '../../../src/backend/lossless-json.js';
import { stringifyJson } from '../../../src/backend/json-writer.js';
import { PgError } from '../../../src/errors/pg-error.js';

describe('parseJsonLine', () => {
  it('keeps integers beyond 2^53 exact as bigint', () => {
    expect(parseJsonLine('[9007199254740993]')).toEqual([9007199254740993n]);
    expect(parseJsonLine('[-9223372036854775808,9223372036854775807]')).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
    expect(parseJsonLine('4611686018427387904')).toBe(4611686018427387904n);
    expect(parseJsonLine('[12345678901234567890123]')).toEqual([12345678901234567890123n]);
  });

  it('returns numbers for safe 16-digit integers and for the boundary', () => {
    expect(parseJsonLine('[9007199254740991,-9007199254740991,1000000000000000]')).toEqual([
      9007199254740991, -9007199254740991, 1000000000000000,
    ]);
    expect(parseJsonLine('[9007199254740992]')).toEqual([9007199254740992n]);
  });

  it('keeps fractions and exponents as numbers', () => {
    expect(parseJsonLine('[1e20,12345678901234567.5,0.30000000000000004,-1.5E-7,12345678901234567e2]')).toEqual([
      1e20,
      Number('12345678901234567.5'),
      0.30000000000000004,
      -1.5e-7,
      Number('12345678901234567e2'),
    ]);
  });

  it('does not touch digits inside strings', () => {
    const line = '["id:12345678901234567890","a,12345678901234567890",1]';
    expect(parseJsonLine(line)).toEqual(['id:12345678901234567890', 'a,12345678901234567890', 1]);
  });

  it('parses nested arrays and objects with escapes and unicode on the slow path', () => {
    const line =
      '[9007199254740993, {"k\\"ey":[1,[2,{"x":-9007199254740993}]],"s":"tab\\t\\u00e9\\ud83d\\ude00\\\\"}, "ü€😀", true, false, null, [], {}]';
    expect(parseJsonLine(line)).toEqual([
      9007199254740993n,
      { 'k"ey': [1, [2, { x: -9007199254740993n }]], s: 'tab\té😀\\' },
      'ü€😀',
      true,
      false,
      null,
      [],
      {},
    ]);
  });

  it('parses arrays of bigints', () => {
    expect(parseJsonLine('[[9007199254740993,9007199254740995,-9223372036854775807]]')).toEqual([
      [9007199254740993n, 9007199254740995n, -9223372036854775807n],
    ]);
  });

  it('keeps "__proto__" as an own key', () => {
    const value = parseJsonLine('{"__proto__":{"a":1},"n":9007199254740993}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'n']);
  });

  it('agrees with JSON.parse on the fast path', () => {
    const line = '["2015-09-12T00:47:53.259Z",123456789012345,-0.5,"x\\ny",null]';
    expect(parseJsonLine(line)).toEqual(JSON.parse(line));
  });

  it.each(['[9007199254740993,', '[9007199254740993 1]', '{"a" 9007199254740993}', '[01234567890123456]', '[9007199254740993]x', '["9007199254740993'])(
    'rejects invalid JSON %s',
    (line) => {
      expect(() => parseJsonLine(line)).toThrow(SyntaxError);
    },
  );
});

describe('stringifyJson', () => {
  it('writes bigint as a raw number and everything else like JSON.stringify', () => {
    expect(stringifyJson({ a: [9007199254740993n, -1n, 'q"', 1.5, true, null], b: undefined, c: { d: 'é' } })).toBe(
      '{"a":[9007199254740993,-1,"q\\"",1.5,true,null],"c":{"d":"é"}}',
    );
  });

  it('refuses non-finite numbers with 22023', () => {
    expect(() => stringifyJson([Number.NaN])).toThrow(PgError);
    expect(() => stringifyJson([Number.POSITIVE_INFINITY])).toThrow(
      expect.objectContaining({ code: '22023', message: 'cannot send Infinity to the backend: JSON has no such number' }),
    );
  });
});
