/**
 * JSON number tokens read from the bytes of a Druid result line (RFC 8259 §6), for the token
 * encoders (token-encoders.ts): shape checks and the values that are exact without a decoder.
 */

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** Integers of up to 15 digits are exact doubles (< 10^15 < 2^53). */
const MAX_EXACT_DIGITS = 15;

/** Length in bytes of a canonical JSON integer token (-?(0|[1-9][0-9]*), not "-0"), else -1. */
export function integerLength(line: Buffer, start: number, end: number): number {
  let i = start;
  if (line[i] === MINUS) i++;
  const first = line[i];
  if (first === undefined || first < DIGIT_0 || first > DIGIT_9) return -1;
  if (first === DIGIT_0) return i + 1 === end && i === start ? 1 : -1;
  for (let j = i + 1; j < end; j++) {
    const c = line[j] as number;
    if (c < DIGIT_0 || c > DIGIT_9) return -1;
  }
  return end - i;
}

/** The value of a canonical integer token of at most 15 digits, else NaN. */
export function smallInteger(line: Buffer, start: number, end: number): number {
  const digits = integerLength(line, start, end);
  if (digits < 0 || digits > MAX_EXACT_DIGITS) return Number.NaN;
  let i = start;
  const negative = line[i] === MINUS;
  if (negative) i++;
  let n = 0;
  for (; i < end; i++) n = n * 10 + ((line[i] as number) - DIGIT_0);
  return negative ? -n : n;
}

/** The end of a run of digits in line[at, end). */
function digitsEnd(line: Buffer, at: number, end: number): number {
  let i = at;
  while (i < end && (line[i] as number) >= DIGIT_0 && (line[i] as number) <= DIGIT_9) i++;
  return i;
}

/** True when line[start, end) is a JSON number token, -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? (RFC 8259 §6). */
function isJsonNumber(line: Buffer, start: number, end: number): boolean {
  let i = line[start] === MINUS ? start + 1 : start;
  const first = line[i];
  if (first === DIGIT_0) i++;
  else if (first !== undefined && first > DIGIT_0 && first <= DIGIT_9) i = digitsEnd(line, i + 1, end);
  else return false;
  if (i < end && line[i] === DOT) {
    const fraction = digitsEnd(line, i + 1, end);
    if (fraction === i + 1) return false;
    i = fraction;
  }
  if (i < end && (line[i] === LOWER_E || line[i] === UPPER_E)) {
    i++;
    if (i < end && (line[i] === PLUS || line[i] === MINUS)) i++;
    const exponent = digitsEnd(line, i, end);
    if (exponent === i) return false;
    i = exponent;
  }
  return i === end;
}

/** Node's Buffer#latin1Slice: what Buffer#toString('latin1', start, end) calls after checking its arguments (lib/buffer.js). */
interface Latin1Sliceable {
  latin1Slice(start: number, end: number): string;
}

/** The bytes line[start, end) (in bounds) as a Latin-1 string, without toString's argument checks. */
export function latin1Text(line: Buffer, start: number, end: number): string {
  return (line as unknown as Latin1Sliceable).latin1Slice(start, end);
}

/** A JSON number token's value (strings, literals and other shapes are left to the value path). */
export function numberToken(line: Buffer, start: number, end: number): number {
  return isJsonNumber(line, start, end) ? Number(latin1Text(line, start, end)) : Number.NaN;
}

/** float8out prints a shortest-digits value without an exponent when its magnitude is in [1e-4, 1e15) (float.ts float8Text). */
const MAX_FIXED_INTEGER_DIGITS = 15;
const MAX_FIXED_FRACTION_ZEROS = 3;
/** DBL_DIG: every decimal of at most 15 significant digits survives the trip through a double. */
const DBL_DIG = 15;

/**
 * True when the token is a decimal in canonical fixed notation, -?(0|[1-9][0-9]*)(.[0-9]*[1-9])?,
 * of at most DBL_DIG digits, with a magnitude in [1e-4, 1e15). Such a token is then exactly
 * float8out's shortest-exact text of its double (extra_float_digits > 0): no other decimal of at
 * most DBL_DIG digits reads as the same double (DBL_DIG's guarantee, the range being normal), so
 * the token's digits are the shortest that round-trip, and in that range they print without an
 * exponent, without trailing zeros, as the token is written.
 */
export function isShortestFixedDecimal(line: Buffer, start: number, end: number): boolean {
  let i = line[start] === MINUS ? start + 1 : start;
  const intStart = i;
  i = digitsEnd(line, i, end);
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits > MAX_FIXED_INTEGER_DIGITS) return false;
  const zeroInteger = line[intStart] === DIGIT_0;
  if (zeroInteger && intDigits > 1) return false;
  if (i === end) return !zeroInteger;
  if (line[i] !== DOT) return false;
  const fracStart = i + 1;
  const fracEnd = digitsEnd(line, fracStart, end);
  if (fracEnd !== end || fracEnd === fracStart || line[end - 1] === DIGIT_0) return false;
  if (!zeroInteger) return intDigits + (fracEnd - fracStart) <= DBL_DIG;
  let firstNonZero = fracStart;
  while (line[firstNonZero] === DIGIT_0) firstNonZero++;
  return firstNonZero - fracStart <= MAX_FIXED_FRACTION_ZEROS && fracEnd - firstNonZero <= DBL_DIG;
}
