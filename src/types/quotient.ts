import type { DruidValue } from '../schema/druid.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { numericText } from './numeric.js';
import { decimalText, OP_SEPARATOR, withOps, type Decimal } from './quotient-ops.js';

/**
 * PostgreSQL's numeric quotient of two integers, as avg(int2/int4/int8) prints it: numeric_div
 * with the result scale of select_div_scale (src/backend/utils/adt/numeric.c), rounded half away
 * from zero. The rule, for a dividend and divisor of display scale 0, in base-10000 digits
 * (NBASE): qweight = weight(dividend) - weight(divisor), less one when the dividend's first
 * base-10000 digit is not greater than the divisor's; scale = max(16 - 4 * qweight, 0), at most
 * 1000. A zero dividend has weight 0 and first digit 0 (docs/sql-compatibility.md "Result types").
 */

const NBASE_DIGITS = 4;
const MIN_SIG_DIGITS = 16;
const MAX_DISPLAY_SCALE = 1000;
/**
 * `sum/count`, or `x*constant/divisor` (src/sql/translate/scaled-quotient.ts); the dividend `x` is
 * an integer or a split sum `h:l:c` (splitSumText).
 */
const QUOTIENT = /^(-?\d+(?::\d+:\d+)?)(?:\*(-?\d*)\.(\d*))?\/(-?\d+)$/;
/** Σhi·2^32 + Σlo over c values (src/sql/translate/wide-sum.ts): exact while c < 2^31. */
const SPLIT_SUM = /^(-?\d+):(\d+):(\d+)$/;
const SPLIT = 2n ** 32n;
const MAX_SPLIT_COUNT = 2n ** 31n;

/** weight and first base-10000 digit of a non-negative integer (0: weight 0, digit 0). */
function leading(value: bigint): { weight: number; first: bigint } {
  if (value === 0n) return { weight: 0, first: 0n };
  const digits = value.toString();
  const weight = Math.floor((digits.length - 1) / NBASE_DIGITS);
  return { weight, first: BigInt(digits.slice(0, digits.length - weight * NBASE_DIGITS)) };
}

/**
 * The display scale of (dividend / 10^dividendScale) / divisor, dividend and divisor integers
 * (divisor non-zero). A dividend with digits after the point is aligned to whole base-10000
 * digits after the point, which count as negative weights; the scale is at least dividendScale.
 */
export function divisionScale(dividend: bigint, divisor: bigint, dividendScale = 0): number {
  const fractionDigits = Math.ceil(dividendScale / NBASE_DIGITS);
  const aligned = (dividend < 0n ? -dividend : dividend) * 10n ** BigInt(fractionDigits * NBASE_DIGITS - dividendScale);
  const a = leading(aligned);
  const b = leading(divisor < 0n ? -divisor : divisor);
  const weight = aligned === 0n ? 0 : a.weight - fractionDigits;
  const qweight = weight - b.weight - (a.first <= b.first ? 1 : 0);
  return Math.min(Math.max(MIN_SIG_DIGITS - qweight * NBASE_DIGITS, dividendScale, 0), MAX_DISPLAY_SCALE);
}

/** (dividend / 10^dividendScale) / divisor as numeric text with PostgreSQL's display scale. */
export function exactQuotient(dividend: bigint, divisor: bigint, dividendScale = 0): string {
  if (divisor === 0n) throw new PgError(SqlState.DivisionByZero, 'division by zero');
  const scale = divisionScale(dividend, divisor, dividendScale);
  const negative = (dividend < 0n) !== (divisor < 0n) && dividend !== 0n;
  const n = (dividend < 0n ? -dividend : dividend) * 10n ** BigInt(scale);
  const d = (divisor < 0n ? -divisor : divisor) * 10n ** BigInt(dividendScale);
  const units = (2n * n + d) / (2n * d);
  const digits = units.toString().padStart(scale + 1, '0');
  const point = digits.length - scale;
  const text = `${digits.slice(0, point)}${scale > 0 ? `.${digits.slice(point)}` : ''}`;
  return negative && units !== 0n ? `-${text}` : text;
}

/**
 * The integer of a decimal text or a split sum `h:l:c`: h·2^32 + l. Each part summed at most
 * c < 2^31 values of magnitude at most 2^32 in Druid's 64-bit LONG, so neither wrapped; a larger
 * count could have, and fails the statement.
 */
export function exactInteger(text: string): bigint {
  const m = SPLIT_SUM.exec(text);
  if (m === null) return BigInt(text);
  if (BigInt(m[3] ?? '0') >= MAX_SPLIT_COUNT) {
    throw new PgError(SqlState.FeatureNotSupported, 'sum() of bigint values over 2^31 rows of one group is not supported by polaris-pg', {
      hint: 'Druid sums bigint values in 64 bits and the gateway splits each value in two halves, exact up to 2^31 rows; sum fewer rows per group.',
    });
  }
  return BigInt(m[1] ?? '0') * SPLIT + BigInt(m[2] ?? '0');
}

/** (dividend / 10^scale) / divisor of a quotient text, else undefined. */
function scaledParts(value: DruidValue): { dividend: bigint; divisor: bigint; scale: number } | undefined {
  const m = typeof value === 'string' ? QUOTIENT.exec(value) : null;
  if (m === null) return undefined;
  const [, x = '0', whole, fraction = '', divisor = '1'] = m;
  const dividend = exactInteger(x);
  if (whole === undefined) return { dividend, divisor: BigInt(divisor), scale: 0 };
  return { dividend: dividend * BigInt(`${whole}${fraction}` || '0'), divisor: BigInt(divisor), scale: fraction.length };
}

/** The value of an exact text with ops (quotient-ops.ts), else undefined. */
function withOpsValue(value: DruidValue): Decimal | undefined {
  return typeof value === 'string' && value.includes(OP_SEPARATOR) ? withOps(value, (base) => (SPLIT_SUM.test(base) ? exactInteger(base).toString() : quotientText(base))) : undefined;
}

/** The dividend and divisor of a quotient text (its scale folded into the divisor), else undefined. */
export function quotientParts(value: DruidValue): [bigint, bigint] | undefined {
  const decimal = withOpsValue(value);
  if (decimal !== undefined) return [decimal.units, 10n ** BigInt(decimal.scale)];
  const parts = scaledParts(value);
  return parts === undefined ? undefined : [parts.dividend, parts.divisor * 10n ** BigInt(parts.scale)];
}

/**
 * [s, n] with n > 0 for s/n of a quotient text or a split sum (n = 1), else undefined; a zero
 * divisor fails with 22012 as printing the value would.
 */
export function exactParts(value: DruidValue): [bigint, bigint] | undefined {
  const parts = typeof value === 'string' && SPLIT_SUM.test(value) ? ([exactInteger(value), 1n] as [bigint, bigint]) : quotientParts(value);
  if (parts === undefined) return undefined;
  const [s, n] = parts;
  if (n === 0n) throw new PgError(SqlState.DivisionByZero, 'division by zero');
  return n < 0n ? [-s, -n] : [s, n];
}

/** Text of an exact integer sum: a split sum `h:l:c` or a plain integer (numeric text). */
export function splitSumText(value: DruidValue): string {
  return typeof value === 'string' && SPLIT_SUM.test(value) ? exactInteger(value).toString() : numericText(value);
}

/** Text of a `sum/count` value (Druid CONCAT of two integers); other values as numeric text. */
export function quotientText(value: DruidValue): string {
  const decimal = withOpsValue(value);
  if (decimal !== undefined) return decimalText(decimal);
  const parts = scaledParts(value);
  return parts === undefined ? numericText(value) : exactQuotient(parts.dividend, parts.divisor, parts.scale);
}
