/**
 * Exact reading of numeric literal text as the parser hands it over (A_Const fval): PostgreSQL 16+
 * integer literals in hexadecimal (0x), octal (0o) and binary (0b), digit-group underscores, and
 * decimals with an exponent (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-CONSTANTS-NUMERIC).
 */

const RADIX_PREFIXES: Readonly<Record<string, string>> = { x: '0x', o: '0o', b: '0b' };
const PREFIXED = /^([+-]?)0([xob])([0-9a-f_]+)$/i;
const DECIMAL_INTEGER = /^([+-]?)(\d[\d_]*)$/;
const DECIMAL = /^([+-]?)(\d[\d_]*)?(?:\.(\d[\d_]*)?)?(?:e([+-]?\d+))?$/i;

/** Digits before the point beyond which a decimal cannot be a bigint (10^19 > 2^63). */
const MAX_BIGINT_DIGITS = 19;

export const INT64_MAX = 2n ** 63n - 1n;
export const INT64_MIN = -(2n ** 63n);

/** The value of an integer literal (decimal, 0x, 0o, 0b, with underscores), or undefined. */
export function integerLiteralValue(text: string): bigint | undefined {
  const prefixed = PREFIXED.exec(text);
  if (prefixed !== null) {
    const [, sign = '', radix = '', digits = ''] = prefixed;
    const prefix = RADIX_PREFIXES[radix.toLowerCase()] ?? '';
    try {
      const value = BigInt(`${prefix}${digits.replaceAll('_', '')}`);
      return sign === '-' ? -value : value;
    } catch {
      return undefined;
    }
  }
  const decimal = DECIMAL_INTEGER.exec(text);
  if (decimal === null) return undefined;
  const value = BigInt((decimal[2] ?? '').replaceAll('_', ''));
  return decimal[1] === '-' ? -value : value;
}

/** True when `value` fits PostgreSQL's bigint (Druid's LONG). */
export function fitsBigint(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}

/**
 * The integers next to a decimal literal's value v: `floor` <= v < floor + 1, and whether v is an
 * integer a bigint can equal. Beyond bigint's range `floor` saturates to INT64_MIN - 1 or
 * INT64_MAX (with `integral` false), so every comparison with a bigint keeps its outcome.
 * Undefined when the text is not a decimal.
 */
export function decimalFloor(text: string): { floor: bigint; integral: boolean } | undefined {
  const m = DECIMAL.exec(text);
  if (m === null || (m[2] === undefined && m[3] === undefined)) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = m;
  const negative = sign === '-';
  const all = `${whole}${fraction}`.replaceAll('_', '');
  const digits = all.replace(/^0+/, '');
  if (digits === '') return { floor: 0n, integral: true };
  // How many of `digits` stand before the decimal point once the exponent applies.
  const intDigits = whole.replaceAll('_', '').length + Number(exponent) - (all.length - digits.length);
  if (intDigits > MAX_BIGINT_DIGITS) return saturate(negative ? INT64_MIN - 1n : INT64_MAX + 1n, false);
  const integerPart = intDigits <= 0 ? 0n : BigInt(digits.slice(0, intDigits).padEnd(intDigits, '0'));
  const integral = /^0*$/.test(digits.slice(Math.max(intDigits, 0)));
  const floor = negative ? (integral ? -integerPart : -integerPart - 1n) : integerPart;
  return saturate(floor, integral);
}

/** Values beyond bigint compare with every bigint alike: keep the side, drop equality. */
function saturate(floor: bigint, integral: boolean): { floor: bigint; integral: boolean } {
  if (floor > INT64_MAX) return { floor: INT64_MAX, integral: false };
  if (floor < INT64_MIN) return { floor: INT64_MIN - 1n, integral: false };
  return { floor, integral };
}
