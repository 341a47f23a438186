import { describe, expect, it } from 'vitest';
import { pgTypeForResult, scaledNumericText } from '../../../src/types/result-type.js';
import { numericTextFromBinary } from '../../../src/types/numeric.js';

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
