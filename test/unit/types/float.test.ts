import { describe, expect, it } from 'vitest';
import { pgTypeFor } from '../../../src/types/druid-to-pg.js';
import { float4Text, float8Text, plainDecimal } from '../../../src/types/float.js';

// Golden strings and bytes printed by PostgreSQL 15.18 (x::float8::text, float8send(x)).
const FLOAT8: Array<[string, string, string]> = [
  ['1.5', '1.5', '3ff8000000000000'],
  ['0.1', '0.1', '3fb999999999999a'],
  ['1e21', '1e+21', '444b1ae4d6e2ef50'],
  ['1.2345e-05', '1.2345e-05', '3ee9e3abe16fc70d'],
  ['1e15', '1e+15', '430c6bf526340000'],
  ['1e14', '100000000000000', '42d6bcc41e900000'],
  ['123456789012345.6', '123456789012345.6', '42dc12218377de66'],
  ['0.0001', '0.0001', '3f1a36e2eb1c432d'],
  ['0.00001', '1e-05', '3ee4f8b588e368f1'],
  ['-0', '-0', '8000000000000000'],
  ['NaN', 'NaN', '7ff8000000000000'],
  ['Infinity', 'Infinity', '7ff0000000000000'],
  ['-Infinity', '-Infinity', 'fff0000000000000'],
  ['3.141592653589793', '3.141592653589793', '400921fb54442d18'],
  ['1e-300', '1e-300', '01a56e1fc2f8f359'],
  ['1.7976931348623157e308', '1.7976931348623157e+308', '7fefffffffffffff'],
  ['5e-324', '5e-324', '0000000000000001'],
  ['100', '100', '4059000000000000'],
  ['-2.5e-7', '-2.5e-07', 'be90c6f7a0b5ed8d'],
  ['12345678901234567890', '1.2345678901234567e+19', '43e56a95319d63e1'],
  ['0.3', '0.3', '3fd3333333333333'],
  ['2e22', '2e+22', '4490f0cf064dd592'],
];

// x::float4::text, float4send(x::float4)
const FLOAT4: Array<[string, string, string]> = [
  ['1.5', '1.5', '3fc00000'],
  ['0.1', '0.1', '3dcccccd'],
  ['1e6', '1e+06', '49742400'],
  ['123456', '123456', '47f12000'],
  ['1234567', '1.234567e+06', '4996b438'],
  ['1e-05', '1e-05', '3727c5ac'],
  ['0.0001', '0.0001', '38d1b717'],
  ['3.4028235e38', '3.4028235e+38', '7f7fffff'],
  ['1e-45', '1e-45', '00000001'],
  ['16777217', '1.6777216e+07', '4b800000'],
  ['-0', '-0', '80000000'],
  ['NaN', 'NaN', '7fc00000'],
  ['0.3', '0.3', '3e99999a'],
  ['1.1', '1.1', '3f8ccccd'],
  ['100000', '100000', '47c35000'],
  ['3.14159274', '3.1415927', '40490fdb'],
];

const ctx = { timeZone: 'UTC', dateStyle: 'ISO, MDY', extraFloatDigits: 1 };
const float8 = pgTypeFor({ sqlType: 'DOUBLE', nativeType: 'DOUBLE' });
const float4 = pgTypeFor({ sqlType: 'FLOAT', nativeType: 'FLOAT' });

describe('float8 output', () => {
  it.each(FLOAT8)('%s prints as PostgreSQL does', (input, text, hex) => {
    const value = Number(input);
    expect(float8.toText(value, ctx)).toBe(text);
    expect(float8.toBinary(value, ctx).toString('hex')).toBe(hex);
  });

  it('accepts Druid string spellings of non-finite values', () => {
    expect(float8.toText('NaN', ctx)).toBe('NaN');
    expect(float8.toText('-Infinity', ctx)).toBe('-Infinity');
    expect(float8.toText(12n, ctx)).toBe('12');
  });

  it('honours extra_float_digits <= 0 like %.{15+n}g', () => {
    // SET extra_float_digits = 0 / -3 in PostgreSQL 15.
    expect(float8Text(0.1, 0)).toBe('0.1');
    expect(float8Text(1.2345678901234567, 0)).toBe('1.23456789012346');
    expect(float8Text(1e15, 0)).toBe('1e+15');
    expect(float8Text(1e14, 0)).toBe('100000000000000');
    expect(float8Text(0.00001, 0)).toBe('1e-05');
    expect(float8Text(1.2345678901234567, -3)).toBe('1.23456789012');
    expect(float8Text(1e12, -3)).toBe('1e+12');
    expect(float8Text(123.456, -3)).toBe('123.456');
  });
});

describe('float4 output', () => {
  it.each(FLOAT4)('%s prints as PostgreSQL does', (input, text, hex) => {
    const value = Number(input);
    expect(float4.toText(value, ctx)).toBe(text);
    expect(float4.toBinary(value, ctx).toString('hex')).toBe(hex);
  });

  it('honours extra_float_digits <= 0 like %.{6+n}g', () => {
    expect(float4Text(1.2345678901234567, 0)).toBe('1.23457');
    expect(float4Text(1e14, 0)).toBe('1e+14');
    expect(float4Text(123456.7, 0)).toBe('123457');
    expect(float4Text(1234567, 0)).toBe('1.23457e+06');
    expect(float4Text(1.2345678901234567, -3)).toBe('1.23');
    expect(float4Text(123.456, -3)).toBe('123');
  });
});

describe('plainDecimal', () => {
  it('never uses an exponent', () => {
    expect(plainDecimal(1e21)).toBe('1000000000000000000000');
    expect(plainDecimal(1.5e-7)).toBe('0.00000015');
    expect(plainDecimal(-12345.6789)).toBe('-12345.6789');
    expect(plainDecimal(-0)).toBe('0');
  });
});

describe('float8Text fixed-notation shortcut', () => {
  /** float8out with extra_float_digits > 0 as d2s lays it out: shortest digits, fixed for exponents -4..14. */
  function reference(x: number): string {
    if (x === 0) return Object.is(x, -0) ? '-0' : '0';
    const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
    const neg = mantissa.startsWith('-');
    const digits = mantissa.replace('-', '').replace('.', '');
    const exp = Number(exponent);
    const sign = neg ? '-' : '';
    if (exp < -4 || exp >= 15) return sign + (digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits) + (exp < 0 ? 'e-' : 'e+') + String(Math.abs(exp)).padStart(2, '0');
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
    return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }

  it('prints what the digit layout prints, at and around the fixed-notation boundaries', () => {
    const xs = [1e-4, 9.999999999999999e-5, 1.0000000000000002e-4, 1e15, 999999999999999.9, 999999999999999.8, 0.1, 1 / 3, 123456.789, 1e14, 100, 5];
    let seed = 7;
    for (let i = 0; i < 20000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const scale = 10 ** ((seed % 26) - 7);
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      xs.push((seed / 2 ** 31) * scale, -(seed / 2 ** 31) * scale);
    }
    for (const x of xs) expect(float8Text(x, 1)).toBe(reference(x));
  });
});
