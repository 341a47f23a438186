import type { DruidValue } from '../schema/druid.js';

/**
 * float8out / float4out as in PostgreSQL 12+ (src/backend/utils/adt/float.c, common/d2s.c, f2s.c).
 * With extra_float_digits > 0 the shortest round-trip digits are printed, in fixed notation when
 * the decimal exponent X satisfies -4 <= X < 15 (float8) or -4 <= X < 6 (float4), else as
 * d.ddde±XX with at least two exponent digits. With extra_float_digits <= 0 the output is
 * printf's %.{N}g with N = DBL_DIG (15) or FLT_DIG (6) plus extra_float_digits (minimum 1).
 */
const DBL_DIG = 15;
const FLT_DIG = 6;
const FLOAT4_MAX_DIGITS = 9;

/** A number from a Druid JSON value: numbers, bigints, "NaN"/"Infinity"/"-Infinity" and numeric strings. */
export function toFloat(value: DruidValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === 'NaN') return NaN;
    if (t === 'Infinity' || t === '+Infinity') return Infinity;
    if (t === '-Infinity') return -Infinity;
    return Number(t);
  }
  return NaN;
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  return undefined;
}

/** Splits Number#toExponential output into its digit string (no trailing zeros) and exponent. */
function splitExponential(s: string): { neg: boolean; digits: string; exp: number } {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const e = body.indexOf('e');
  const digits = body.slice(0, e).replace('.', '').replace(/0+$/, '') || '0';
  return { neg, digits, exp: Number(body.slice(e + 1)) };
}

function exponentSuffix(exp: number): string {
  const abs = Math.abs(exp);
  return (exp < 0 ? 'e-' : 'e+') + (abs < 10 ? '0' + abs : String(abs));
}

/** Prints 0.d1d2...dn x 10^(exp+1) in fixed notation when fixedFrom <= exp < fixedBelow, else exponential. */
function layout(neg: boolean, digits: string, exp: number, fixedBelow: number, fixedFrom = -4): string {
  const sign = neg ? '-' : '';
  if (exp < fixedFrom || exp >= fixedBelow) {
    const mantissa = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    return sign + mantissa + exponentSuffix(exp);
  }
  if (exp < 0) return sign + '0.' + '0'.repeat(-exp - 1) + digits;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return sign + digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
}

/** printf("%.{precision}g") as glibc prints it (no '#' flag: trailing zeros removed). */
function printfG(x: number, precision: number): string {
  const p = Math.max(1, precision);
  const { neg, digits, exp } = splitExponential(x.toExponential(p - 1));
  return layout(neg, digits, exp, p);
}

function shortestFloat4Digits(f: number): string {
  for (let p = 1; p < FLOAT4_MAX_DIGITS; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return Number(s).toExponential();
  }
  return f.toExponential(FLOAT4_MAX_DIGITS - 1);
}

/**
 * Magnitudes float8out prints in fixed notation with extra_float_digits > 0 (decimal exponent
 * -4 to 14). JavaScript's Number#toString prints the same shortest round-trip digits in the same
 * fixed layout for every magnitude in [1e-7, 1e21) (ECMA-262 Number::toString), so in this range
 * it is float8out's text: no double below FIXED_MIN has shortest digits of exponent -4 or more,
 * and none below FIXED_BELOW has shortest digits of exponent 15.
 */
const FIXED_MIN = 1e-4;
const FIXED_BELOW = 1e15;

export function float8Text(x: number, extraFloatDigits: number): string {
  if (extraFloatDigits > 0) {
    const abs = x < 0 ? -x : x;
    if (abs >= FIXED_MIN && abs < FIXED_BELOW) return String(x);
  }
  const sp = special(x);
  if (sp !== undefined) return sp;
  if (extraFloatDigits > 0) {
    const { neg, digits, exp } = splitExponential(x.toExponential());
    return layout(neg, digits, exp, DBL_DIG);
  }
  return printfG(x, DBL_DIG + extraFloatDigits);
}

export function float4Text(x: number, extraFloatDigits: number): string {
  const f = Math.fround(x);
  const sp = special(f);
  if (sp !== undefined) return sp;
  if (extraFloatDigits > 0) {
    const { neg, digits, exp } = splitExponential(shortestFloat4Digits(f));
    return layout(neg, digits, exp, FLT_DIG);
  }
  return printfG(f, FLT_DIG + extraFloatDigits);
}

/** The shortest round-trip decimal of a double, without exponent (numeric's text form). */
export function plainDecimal(x: number): string {
  if (x === 0) return '0';
  const { neg, digits, exp } = splitExponential(x.toExponential());
  return layout(neg, digits, exp, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
}
