/**
 * Exact numeric arithmetic on an exact text (an average or quotient of integers, src/types/quotient.ts)
 * that the gateway finishes: the text `base;op;op...` with `base` a quotient `sum/count`, a split
 * sum `h:l:c` or an integer (a COALESCE default), and each op one of `+c` (add the integer c), `*c`
 * (multiply by the integer c), `rN` (round to N places, half away from zero) and `tN` (truncate to
 * N places). PostgreSQL's numeric display scales (src/backend/utils/adt/numeric.c): add_var keeps
 * the larger of the operands' scales, mul_var's is the sum of the scales (an integer's is 0), so
 * both keep the average's scale; numeric_round and numeric_trunc give max(N, 0)
 * (docs/sql-compatibility.md "Result types").
 */

/** A decimal value units / 10^scale. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const OP = /^([+*rt])(-?\d+)$/;
/** The separator of a base and its ops (no quotient, split sum or integer text contains it). */
export const OP_SEPARATOR = ';';

/** The decimal of a numeric text without exponent (`-12.340`). */
export function decimalOf(text: string): Decimal {
  const point = text.indexOf('.');
  const scale = point < 0 ? 0 : text.length - point - 1;
  return { units: BigInt(point < 0 ? text : `${text.slice(0, point)}${text.slice(point + 1)}`), scale };
}

/** The numeric text of a decimal, as PostgreSQL prints it (no sign on zero). */
export function decimalText(value: Decimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const point = digits.length - value.scale;
  const text = `${digits.slice(0, point)}${value.scale > 0 ? `.${digits.slice(point)}` : ''}`;
  return negative ? `-${text}` : text;
}

/** `value` to `places` digits after the point (negative: left of it), rounding half away from zero or truncating. */
function toPlaces(value: Decimal, places: number, round: boolean): Decimal {
  const scale = Math.max(places, 0);
  if (places >= value.scale) return { units: value.units * 10n ** BigInt(scale - value.scale), scale };
  const step = 10n ** BigInt(value.scale - places);
  const magnitude = value.units < 0n ? -value.units : value.units;
  const kept = round ? (2n * magnitude + step) / (2n * step) : magnitude / step;
  const units = (value.units < 0n ? -kept : kept) * 10n ** BigInt(scale - places);
  return { units, scale };
}

/** One op applied to `value` (see the module comment). */
function applyOp(value: Decimal, op: string): Decimal {
  const m = OP.exec(op);
  if (m === null) throw new Error(`malformed exact numeric op ${op}`);
  const [, kind, argument = '0'] = m;
  const n = BigInt(argument);
  if (kind === '+') return { units: value.units + n * 10n ** BigInt(value.scale), scale: value.scale };
  if (kind === '*') return { units: value.units * n, scale: value.scale };
  return toPlaces(value, Number(n), kind === 'r');
}

/** The decimal of `base;ops` given the numeric text of its base, or undefined for a text without ops. */
export function withOps(text: string, baseText: (base: string) => string): Decimal | undefined {
  const [base = '', ...ops] = text.split(OP_SEPARATOR);
  if (ops.length === 0) return undefined;
  return ops.reduce(applyOp, decimalOf(baseText(base)));
}
