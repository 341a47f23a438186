import { describe, expect, it } from 'vitest';
import { pgTypeForResult, scaledNumericText } from '../../../src/types/result-type.js';
import { numericTextFromBinary } from '../../../src/types/numeric.js';
import { exactInteger, quotientText } from '../../../src/types/quotient.js';

const ctx = { timeZone: 'UTC', dateStyle: 'ISO, MDY', extraFloatDigits: 1 };

describe('numeric with a display scale prints as PostgreSQL numeric_out', () => {
  it.each<[number | bigint | string, number, string]>([
    [596.97, 4, '596.9700'],
    [43441.92, 6, '43441.920000'],
    [1751328453.308, 6, '1751328453.308000'],
    [632, 1, '632.0'],
    [-0.001, 2, '0.00'],
    [-1.5, 0, '-2'],
    [12458760004n, 2, '12458760004.00'],
    ['2.345', 2, '2.35'],
    ['-2.345', 2, '-2.35'],
    ['0.004', 2, '0.00'],
    ['NaN', 2, 'NaN'],
  ])('%s at scale %d is %s', (value, scale, text) => {
    expect(scaledNumericText(value, scale)).toBe(text);
  });

  it('reports numeric(p, s) with its typmod and sends the same digits in binary', () => {
    const type = pgTypeForResult({ name: 'numeric', scale: 1, typmod: 655365 });
    expect(type.oid).toBe(1700);
    expect(type.typmod).toBe(655365);
    expect(type.toText(632.3, ctx)).toBe('632.3');
    expect(numericTextFromBinary(type.toBinary(632, ctx))).toBe('632.0');
  });

  it('reports the other result types as their scalar types', () => {
    expect([pgTypeForResult({ name: 'int8' }), pgTypeForResult({ name: 'float8' }), pgTypeForResult({ name: 'varchar' }), pgTypeForResult({ name: 'numeric' })].map((t) => [t.oid, t.typmod])).toEqual([
      [20, -1], [701, -1], [1043, -1], [1700, -1],
    ]);
  });
});

describe('avg of integers: the numeric quotient of the exact sum and count, with select_div_scale', () => {
  it.each<[string, string]>([
    ['35140/5000', '7.0280000000000000'],
    ['1797800/8310', '216.3417569193742479'],
    ['12458760004/10000', '1245876.000400000000'],
    ['-12458760004/10000', '-1245876.000400000000'],
    ['0/10000', '0.000000000000000000000000'],
    ['71967/1', '71967.000000000000'],
    ['1/3', '0.33333333333333333333'],
    ['2/3', '0.66666666666666666667'],
    ['-1/2000000000000', '-0.00000000000050000000000000000000'],
  ])('%s is %s', (value, text) => {
    expect(quotientText(value)).toBe(text);
  });

  it('prints other values as numeric text and reports numeric', () => {
    expect(quotientText(7.5)).toBe('7.5');
    expect(pgTypeForResult({ name: 'numeric', quotient: true }).toText('1/4', ctx)).toBe('0.25000000000000000000');
  });
});

describe('integer * numeric constant / integer: numeric multiplication, then division with select_div_scale', () => {
  // Expected texts from PostgreSQL 15 (`SELECT 3::bigint * 100.0 / 7`, ...).
  it.each<[string, string]>([
    ['3*100.0/7', '42.8571428571428571'],
    ['1*0.5/3', '0.16666666666666666667'],
    ['0*1.0/4', '0.00000000000000000000'],
    ['-5*0.25/3', '-0.41666666666666666667'],
    ['123*12345.678/3', '506172.798000000000'],
    ['7*.00001/3', '0.000023333333333333333333'],
    ['112*1.0/500', '0.22400000000000000000'],
  ])('%s is %s', (value, text) => {
    expect(quotientText(value)).toBe(text);
  });

  it('fails with 22012 for a zero divisor', () => {
    expect(() => quotientText('5*1.0/0')).toThrow(expect.objectContaining({ code: '22012' }) as Error);
  });
});

describe('numeric division by zero', () => {
  it('fails with 22012 as PostgreSQL', () => {
    expect(() => quotientText('5/0')).toThrow(expect.objectContaining({ code: '22012' }) as Error);
  });
});

describe('sums of bigint past 2^63: the split sum h:l:c is h·2^32 + l', () => {
  const MAX = 2n ** 63n - 1n;
  const MIN = -(2n ** 63n);
  /** The split sum text Druid returns for `values` (BITWISE_SHIFT_RIGHT and BITWISE_AND by halves). */
  function split(values: bigint[]): string {
    const high = values.reduce((s, v) => s + (v >> 32n), 0n);
    const low = values.reduce((s, v) => s + (v & 0xffffffffn), 0n);
    return `${high}:${low}:${values.length}`;
  }

  it.each<[bigint[]]>([[[MAX, MAX]], [[MIN, MIN, MIN]], [[MAX, MIN]], [[-1n, -1n]], [[0n]], [[MAX, 1n]], [[MIN, -1n]], [[4611686018427387904n, 4611686018427387904n]]])('prints the exact sum of %s', (values) => {
    const exact = values.reduce((s, v) => s + v, 0n);
    expect(exactInteger(split(values))).toBe(exact);
    expect(pgTypeForResult({ name: 'numeric', splitSum: true }).toText(split(values), ctx)).toBe(exact.toString());
  });

  it('divides a split sum exactly for avg, and fails a count past 2^31 (a half could have wrapped)', () => {
    expect(quotientText(`${split([MAX, MAX, MAX])}/3`)).toBe(MAX.toString());
    // PostgreSQL: SELECT avg(x) FROM (VALUES (9223372036854775807::int8), (2::int8)) t(x) gives 4611686018427387905.
    expect(quotientText(`${split([MAX, 2n])}/2`)).toBe('4611686018427387905');
    expect(() => exactInteger(`0:0:${2 ** 31}`)).toThrow(expect.objectContaining({ code: '0A000' }) as Error);
    expect(exactInteger(`0:${2n ** 32n - 1n}:${2 ** 31 - 1}`)).toBe(2n ** 32n - 1n);
    expect(pgTypeForResult({ name: 'numeric', splitSum: true }).toText(12, ctx)).toBe('12');
  });
});
