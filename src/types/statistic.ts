import type { DruidValue } from '../schema/druid.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { divisionScale, exactQuotient } from './quotient.js';

/**
 * PostgreSQL's variance and standard deviation of integers (numeric), from the exact count n, sum
 * Σy and sum of squares Σy² of y = x - c for an integer c (the numerator below does not depend on
 * c). numeric_stddev_internal (src/backend/utils/adt/numeric.c): numerator = n·Σy² - (Σy)²,
 * denominator = n·(n - 1) for samples, n² for populations; a numerator ≤ 0 gives 0 (scale 0);
 * otherwise the variance is numerator / denominator rounded half away from zero to the scale
 * select_div_scale gives (quotient.ts), and the standard deviation is sqrt_var of that rounded
 * variance at the same scale (rounded half away from zero). Druid sends the text
 * `kind:n:Σy:Σy²` (src/sql/translate/exact-statistic.ts); docs/sql-compatibility.md "Result types".
 */

const STATISTIC = /^(var|stddev)_(samp|pop):(\d+):(-?\d+):(\d+)$/;

/** floor(√v) for v ≥ 0 (Newton's method on integers). */
function isqrt(v: bigint): bigint {
  if (v < 2n) return v;
  let x = BigInt(`1${'0'.repeat(Math.ceil(v.toString().length / 2))}`);
  for (;;) {
    const next = (x + v / x) / 2n;
    if (next >= x) return x;
    x = next;
  }
}

/** Non-negative `units` / 10^scale as decimal text with `scale` digits after the point. */
function fixed(units: bigint, scale: number): string {
  const digits = units.toString().padStart(scale + 1, '0');
  const point = digits.length - scale;
  return `${digits.slice(0, point)}${scale > 0 ? `.${digits.slice(point)}` : ''}`;
}

/** The numeric text of a `kind:n:Σy:Σy²` value, or undefined for any other value. */
export function statisticText(value: DruidValue): string | undefined {
  const m = typeof value === 'string' ? STATISTIC.exec(value) : null;
  if (m === null) return undefined;
  const [, kind, population, count = '0', sum = '0', squares = '0'] = m;
  const n = BigInt(count);
  const sample = population === 'samp';
  // Druid sends NULL below 2 (samples) or 1 (populations) inputs.
  if (n < (sample ? 2n : 1n)) throw new PgError(SqlState.InternalError, `${kind}_${population} of ${n} values`);
  const numerator = n * BigInt(squares) - BigInt(sum) ** 2n;
  if (numerator <= 0n) return '0';
  const denominator = sample ? n * (n - 1n) : n * n;
  const variance = exactQuotient(numerator, denominator);
  if (kind === 'var') return variance;
  const scale = divisionScale(numerator, denominator);
  const units = BigInt(variance.replace('.', ''));
  // floor(√variance · 10^(scale+1)): variance · 10^(2·scale+2) = units · 10^(scale+2).
  const root = isqrt(units * 10n ** BigInt(scale + 2));
  return fixed((root + 5n) / 10n, scale);
}
