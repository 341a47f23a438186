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

/** A JSON number token's value (strings, literals and other shapes are left to the value path). */
export function numberToken(line: Buffer, start: number, end: number): number {
  return isJsonNumber(line, start, end) ? Number(line.toString('latin1', start, end)) : Number.NaN;
}
