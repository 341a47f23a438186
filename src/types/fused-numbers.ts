/**
 * Fused encoders (fused-encoders.ts) for number tokens: the token is checked against JSON's
 * number grammar (RFC 8259 §6) and its shape noted in one pass that also finds its end, then
 * written as the token encoders (token-encoders.ts) write the same token: the same checks, the
 * same helpers, so the same bytes.
 */
import { PG_EPOCH_MS } from './civil.js';
import { EPOCH_TEXT_MAX_BYTES, epochTextWriter } from './epoch-text.js';
import { asciiField, copyField, int64Field, putLength, type FieldSink } from './field-sink.js';
import { fastDecimal } from './decimal-fast-path.js';
import type { FusedEncoder } from './fused-encoders.js';
import { float8Text } from './float.js';
import { latin1Text } from './json-number-token.js';
import { zoneOffsetFn } from './timezone.js';

const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LENGTH_BYTES = 4;
const INT64_BYTES = 8;
const INT32_BYTES = 4;
const INT16_BYTES = 2;
const MICROS_PER_MS = 1000;
const MS_PER_SECOND = 1000;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT16_MIN = -32_768;
const INT16_MAX = 32_767;
/** Integers of up to 15 digits are exact doubles (< 10^15 < 2^53), json-number-token.ts smallInteger's limit. */
const MAX_EXACT_DIGITS = 15;
/** json-number-token.ts isShortestFixedDecimal's limits: DBL_DIG significant digits, at most 3 zeros after "0.". */
const DBL_DIG = 15;
const MAX_FIXED_FRACTION_ZEROS = 3;

/** Set by scanNumber: the token passes json-number-token.ts isShortestFixedDecimal. */
let shortestFixed = false;
/** Set by scanSmallInteger: the token's value. */
let integerValue = 0;

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= DIGIT_0 && c <= DIGIT_9;
}

/** The index of the comma or closing bracket after a JSON number token starting at `at`, else -1; sets shortestFixed. */
function scanNumber(line: Buffer, at: number, end: number): number {
  let i = line[at] === MINUS ? at + 1 : at;
  const intStart = i;
  const first = line[i];
  if (i >= end || !isDigit(first)) return -1;
  i++;
  if (first !== DIGIT_0) while (i < end && isDigit(line[i])) i++;
  const zeroInteger = first === DIGIT_0;
  let fixed = i - intStart <= DBL_DIG && !zeroInteger;
  if (i < end && line[i] === DOT) {
    const fracStart = ++i;
    while (i < end && isDigit(line[i])) i++;
    if (i === fracStart) return -1;
    if (line[i - 1] === DIGIT_0) {
      fixed = false;
    } else if (zeroInteger) {
      let nonZero = fracStart;
      while (line[nonZero] === DIGIT_0) nonZero++;
      fixed = nonZero - fracStart <= MAX_FIXED_FRACTION_ZEROS && i - nonZero <= DBL_DIG;
    } else {
      fixed = fixed && i - intStart - 1 <= DBL_DIG;
    }
  }
  if (i < end && (line[i] === LOWER_E || line[i] === UPPER_E)) {
    fixed = false;
    i++;
    if (i < end && (line[i] === PLUS || line[i] === MINUS)) i++;
    const expStart = i;
    while (i < end && isDigit(line[i])) i++;
    if (i === expStart) return -1;
  }
  if (i >= end || (line[i] !== COMMA && line[i] !== CLOSE_BRACKET)) return -1;
  shortestFixed = fixed;
  return i;
}

/** The index of the comma or closing bracket after a canonical integer token of at most 15 digits (not -0), else -1; sets integerValue. */
function scanSmallInteger(line: Buffer, at: number, end: number): number {
  let i = at;
  const negative = line[i] === MINUS;
  if (negative) i++;
  const digitsStart = i;
  const first = line[i];
  if (i >= end || !isDigit(first)) return -1;
  let n = 0;
  if (first === DIGIT_0) {
    if (negative) return -1;
    i++;
  } else {
    for (; i < end; i++) {
      const c = line[i] as number;
      if (c < DIGIT_0 || c > DIGIT_9) break;
      n = n * 10 + (c - DIGIT_0);
    }
    if (i - digitsStart > MAX_EXACT_DIGITS) return -1;
  }
  if (i >= end || (line[i] !== COMMA && line[i] !== CLOSE_BRACKET)) return -1;
  integerValue = negative ? -n : n;
  return i;
}

/** An int64 token's digits past the 15 of scanSmallInteger: the 16 to 19 digits of int64's range. */
const MAX_INT64_DIGITS = 19;
/** Digits of the low part of a wide integer: 10^9 < 2^30. */
const LOW_DIGITS = 9;
const TEN_POW_LOW = 1e9;
const TWO_POW_16 = 65_536;
const TWO_POW_31 = 2_147_483_648;
const TWO_POW_32 = 4_294_967_296;

/**
 * int8 binary of a canonical integer token of 16 to 19 digits, from its digits without BigInt:
 * the magnitude high * 10^9 + low (high of up to 10 digits, low of 9) is split into 32-bit words
 * with products that stay below 2^53 (exact): high = hh * 2^16 + hl, and hh * 10^9 < 2^48.
 * Returns the index of the comma or closing bracket after the token, or -1 (another shape, or
 * outside int64, which takes the general way and its error).
 */
function wideInt8(out: FieldSink, line: Buffer, at: number, end: number): number {
  const negative = line[at] === MINUS;
  const digitsStart = negative ? at + 1 : at;
  let i = digitsStart;
  if (line[i] === DIGIT_0) return -1;
  while (i < end && isDigit(line[i])) i++;
  const digits = i - digitsStart;
  if (digits <= MAX_EXACT_DIGITS || digits > MAX_INT64_DIGITS) return -1;
  if (i >= end || (line[i] !== COMMA && line[i] !== CLOSE_BRACKET)) return -1;
  const split = i - LOW_DIGITS;
  let high = 0;
  for (let k = digitsStart; k < split; k++) high = high * 10 + ((line[k] as number) - DIGIT_0);
  let low = 0;
  for (let k = split; k < i; k++) low = low * 10 + ((line[k] as number) - DIGIT_0);
  const hl = high % TWO_POW_16;
  const a = ((high - hl) / TWO_POW_16) * TEN_POW_LOW;
  const al = a % TWO_POW_16;
  const b = al * TWO_POW_16 + hl * TEN_POW_LOW + low;
  const bl = b % TWO_POW_32;
  let hi = (a - al) / TWO_POW_16 + (b - bl) / TWO_POW_32;
  let lo = bl;
  if (negative ? hi > TWO_POW_31 || (hi === TWO_POW_31 && lo !== 0) : hi >= TWO_POW_31) return -1;
  if (negative) {
    // Two's complement of hi * 2^32 + lo.
    if (lo === 0) hi = (TWO_POW_32 - hi) % TWO_POW_32;
    else {
      lo = TWO_POW_32 - lo;
      hi = TWO_POW_32 - hi - 1;
    }
  }
  out.ensure(LENGTH_BYTES + INT64_BYTES);
  const dst = out.target;
  const to = out.cursor;
  putLength(dst, to, INT64_BYTES);
  dst.writeUInt32BE(hi, to + LENGTH_BYTES);
  dst.writeUInt32BE(lo, to + LENGTH_BYTES + INT32_BYTES);
  out.cursor = to + LENGTH_BYTES + INT64_BYTES;
  return i;
}

/** The double of a number token checked by scanNumber: Clinger's fast path, else Number(). */
function tokenValue(line: Buffer, at: number, stop: number): number {
  const fast = fastDecimal(line, at, stop);
  return Number.isNaN(fast) ? Number(latin1Text(line, at, stop)) : fast;
}

/** float8 text: a token float8out prints as it is (extra_float_digits > 0) is copied, else the value is printed by float8Text. */
export function fusedFloat8Text(extraFloatDigits: number): FusedEncoder {
  const shortest = extraFloatDigits > 0;
  return (out, line, at, end) => {
    const stop = scanNumber(line, at, end);
    if (stop < 0) return -1;
    if (shortest && shortestFixed) copyField(out, line, at, stop);
    else asciiField(out, float8Text(tokenValue(line, at, stop), extraFloatDigits));
    return stop;
  };
}

export const fusedFloat8Binary: FusedEncoder = (out, line, at, end) => {
  const stop = scanNumber(line, at, end);
  if (stop < 0) return -1;
  out.ensure(LENGTH_BYTES + INT64_BYTES);
  const dst = out.target;
  const to = out.cursor;
  putLength(dst, to, INT64_BYTES);
  dst.writeDoubleBE(tokenValue(line, at, stop), to + LENGTH_BYTES);
  out.cursor = to + LENGTH_BYTES + INT64_BYTES;
  return stop;
};

/** int2/int4/int8 binary of an integer token of at most 15 digits (int8: 19, wideInt8); out-of-range values take the general way (its error). */
export function fusedIntegerBinary(bytes: 2 | 4 | 8): FusedEncoder {
  const min = bytes === INT16_BYTES ? INT16_MIN : INT32_MIN;
  const max = bytes === INT16_BYTES ? INT16_MAX : INT32_MAX;
  return (out, line, at, end) => {
    const stop = scanSmallInteger(line, at, end);
    if (stop < 0) return bytes === INT64_BYTES ? wideInt8(out, line, at, end) : -1;
    const n = integerValue;
    if (bytes === INT64_BYTES) {
      int64Field(out, n);
      return stop;
    }
    if (n < min || n > max) return -1;
    out.ensure(LENGTH_BYTES + bytes);
    const dst = out.target;
    const to = out.cursor;
    putLength(dst, to, bytes);
    if (bytes === INT32_BYTES) dst.writeInt32BE(n, to + LENGTH_BYTES);
    else dst.writeInt16BE(n, to + LENGTH_BYTES);
    out.cursor = to + LENGTH_BYTES + bytes;
    return stop;
  };
}

/** timestamptz / timestamp text of epoch milliseconds (epoch-text.ts). */
export function fusedEpochText(timeZone: string, withOffset: boolean): FusedEncoder {
  const write = epochTextWriter(timeZone, withOffset);
  return (out, line, at, end) => {
    const stop = scanSmallInteger(line, at, end);
    if (stop < 0) return -1;
    out.ensure(LENGTH_BYTES + EPOCH_TEXT_MAX_BYTES);
    const dst = out.target;
    const from = out.cursor + LENGTH_BYTES;
    const to = write(dst, from, integerValue);
    putLength(dst, from - LENGTH_BYTES, to - from);
    out.cursor = to;
    return stop;
  };
}

/** timestamptz_send (the instant) or timestamp_send (the wall clock in the session zone) of epoch milliseconds, as token-encoders.ts epochBinary. */
export function fusedEpochBinary(timeZone: string, wallClock: boolean): FusedEncoder {
  const zone = zoneOffsetFn(timeZone);
  return (out, line, at, end) => {
    const stop = scanSmallInteger(line, at, end);
    if (stop < 0) return -1;
    const ms = integerValue;
    const wall = wallClock ? ms + zone(ms) * MS_PER_SECOND : ms;
    const micros = (wall - PG_EPOCH_MS) * MICROS_PER_MS;
    if (!Number.isSafeInteger(micros)) return -1;
    int64Field(out, micros);
    return stop;
  };
}
