/**
 * DataRow fields written straight from the bytes of a Druid JSON token (docs/druid-api.md "The
 * arrayLines result format"), without decoding it into a value first. Each encoder handles the
 * common token shapes of its type and returns false for anything else, having written nothing;
 * the caller then decodes the token and uses the type's toText/toBinary, so the bytes sent are
 * always those of the value encoders in scalars.ts.
 */
import { PG_EPOCH_MS } from './civil.js';
import { EPOCH_TEXT_MAX_BYTES, epochTextWriter } from './epoch-text.js';
import { float8Text } from './float.js';
import { Oid } from './oids.js';
import { zoneOffsetFn } from './timezone.js';
import type { OutputContext, PgType } from './pg-type.js';

/**
 * Where fields are written (src/wire/byte-builder.ts ByteBuilder satisfies it): after ensure(n),
 * up to n bytes may be written into `target` from `cursor` on, and `cursor` moved past them.
 */
export interface FieldSink {
  ensure(n: number): void;
  readonly target: Buffer;
  cursor: number;
}

/** Writes the field (int32 length, then the bytes) for line[start, end); false when it cannot. */
export type TokenEncoder = (out: FieldSink, line: Buffer, start: number, end: number) => boolean;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const ASCII_END = 0x80;
/** JSON strings may not hold raw control characters (RFC 8259 §7). */
const FIRST_PRINTABLE = 0x20;
const LENGTH_BYTES = 4;
const INT64_BYTES = 8;
const INT32_BYTES = 4;
const INT16_BYTES = 2;
/** Integers of up to 15 digits are exact doubles (< 10^15 < 2^53). */
const MAX_EXACT_DIGITS = 15;
const TWO_POW_32 = 4_294_967_296;
const MICROS_PER_MS = 1000;
const MS_PER_SECOND = 1000;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT16_MIN = -32_768;
const INT16_MAX = 32_767;
/** Longest ASCII text float8Text produces (a 17-digit mantissa, sign, point and exponent fit). */
const MAX_TEXT_BYTES = 64;
/** Fields up to this many bytes are copied with a loop rather than Buffer#copy. */
const SHORT_COPY_BYTES = 32;
const BYTE_MASK = 0xff;

/** Length in bytes of a canonical JSON integer token (-?(0|[1-9][0-9]*), not "-0"), else -1. */
function integerLength(line: Buffer, start: number, end: number): number {
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
function smallInteger(line: Buffer, start: number, end: number): number {
  const digits = integerLength(line, start, end);
  if (digits < 0 || digits > MAX_EXACT_DIGITS) return Number.NaN;
  let i = start;
  const negative = line[i] === MINUS;
  if (negative) i++;
  let n = 0;
  for (; i < end; i++) n = n * 10 + ((line[i] as number) - DIGIT_0);
  return negative ? -n : n;
}

/** Writes a non-negative field length (int32, big-endian) at `at`: cheaper than writeInt32BE's checks. */
function putLength(dst: Buffer, at: number, n: number): void {
  dst[at] = n >>> 24;
  dst[at + 1] = (n >>> 16) & BYTE_MASK;
  dst[at + 2] = (n >>> 8) & BYTE_MASK;
  dst[at + 3] = n & BYTE_MASK;
}

/** Copies bytes as the field; short runs byte by byte (cheaper than a native copy call). */
function copyField(out: FieldSink, line: Buffer, start: number, end: number): void {
  const n = end - start;
  out.ensure(LENGTH_BYTES + n);
  const dst = out.target;
  const at = out.cursor + LENGTH_BYTES;
  putLength(dst, at - LENGTH_BYTES, n);
  if (n <= SHORT_COPY_BYTES) {
    for (let i = 0; i < n; i++) dst[at + i] = line[start + i] as number;
  } else {
    line.copy(dst, at, start, end);
  }
  out.cursor = at + n;
}

/** Writes an ASCII string as the field. */
function asciiField(out: FieldSink, text: string): void {
  const n = text.length;
  out.ensure(LENGTH_BYTES + MAX_TEXT_BYTES);
  const dst = out.target;
  const at = out.cursor + LENGTH_BYTES;
  putLength(dst, at - LENGTH_BYTES, n);
  for (let i = 0; i < n; i++) dst[at + i] = text.charCodeAt(i);
  out.cursor = at + n;
}

/** A safe integer as a big-endian int64 field. */
function int64Field(out: FieldSink, n: number): void {
  out.ensure(LENGTH_BYTES + INT64_BYTES);
  const dst = out.target;
  const at = out.cursor;
  putLength(dst, at, INT64_BYTES);
  const high = Math.floor(n / TWO_POW_32);
  dst.writeInt32BE(high, at + LENGTH_BYTES);
  dst.writeUInt32BE(n - high * TWO_POW_32, at + LENGTH_BYTES + INT32_BYTES);
  out.cursor = at + LENGTH_BYTES + INT64_BYTES;
}

/** Text types: a JSON string of ASCII characters without escapes is its own UTF-8 text. */
const plainString: TokenEncoder = (out, line, start, end) => {
  if (line[start] !== QUOTE) return false;
  const n = end - start - 2;
  if (n > SHORT_COPY_BYTES) {
    for (let i = start + 1; i < end - 1; i++) {
      const c = line[i] as number;
      if (c === BACKSLASH || c >= ASCII_END || c < FIRST_PRINTABLE) return false;
    }
    copyField(out, line, start + 1, end - 1);
    return true;
  }
  // Short strings are checked while copied: the cursor moves only once the whole string passed.
  out.ensure(LENGTH_BYTES + n);
  const dst = out.target;
  const at = out.cursor + LENGTH_BYTES;
  for (let i = 0; i < n; i++) {
    const c = line[start + 1 + i] as number;
    if (c === BACKSLASH || c >= ASCII_END || c < FIRST_PRINTABLE) return false;
    dst[at + i] = c;
  }
  putLength(dst, at - LENGTH_BYTES, n);
  out.cursor = at + n;
  return true;
};

/** Integer types in text: the token's digits are integerText's output. */
const integerText: TokenEncoder = (out, line, start, end) => {
  if (integerLength(line, start, end) < 0) return false;
  copyField(out, line, start, end);
  return true;
};

function integerBinary(bytes: 2 | 4 | 8): TokenEncoder {
  return (out, line, start, end) => {
    const n = smallInteger(line, start, end);
    if (Number.isNaN(n)) return false;
    if (bytes === INT64_BYTES) {
      int64Field(out, n);
      return true;
    }
    if (bytes === INT32_BYTES ? n < INT32_MIN || n > INT32_MAX : n < INT16_MIN || n > INT16_MAX) return false;
    out.ensure(LENGTH_BYTES + bytes);
    const dst = out.target;
    const at = out.cursor;
    dst.writeInt32BE(bytes, at);
    if (bytes === INT32_BYTES) dst.writeInt32BE(n, at + LENGTH_BYTES);
    else dst.writeInt16BE(n, at + LENGTH_BYTES);
    out.cursor = at + LENGTH_BYTES + bytes;
    return true;
  };
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
function numberToken(line: Buffer, start: number, end: number): number {
  return isJsonNumber(line, start, end) ? Number(line.toString('latin1', start, end)) : Number.NaN;
}

function float8TextEncoder(extraFloatDigits: number): TokenEncoder {
  return (out, line, start, end) => {
    const x = numberToken(line, start, end);
    if (Number.isNaN(x)) return false;
    asciiField(out, float8Text(x, extraFloatDigits));
    return true;
  };
}

const float8Binary: TokenEncoder = (out, line, start, end) => {
  const x = numberToken(line, start, end);
  if (Number.isNaN(x)) return false;
  out.ensure(LENGTH_BYTES + INT64_BYTES);
  const dst = out.target;
  const at = out.cursor;
  putLength(dst, at, INT64_BYTES);
  dst.writeDoubleBE(x, at + LENGTH_BYTES);
  out.cursor = at + LENGTH_BYTES + INT64_BYTES;
  return true;
};

function epochText(timeZone: string, withOffset: boolean): TokenEncoder {
  const write = epochTextWriter(timeZone, withOffset);
  return (out, line, start, end) => {
    const ms = smallInteger(line, start, end);
    if (Number.isNaN(ms)) return false;
    out.ensure(LENGTH_BYTES + EPOCH_TEXT_MAX_BYTES);
    const dst = out.target;
    const at = out.cursor + LENGTH_BYTES;
    const stop = write(dst, at, ms);
    putLength(dst, at - LENGTH_BYTES, stop - at);
    out.cursor = stop;
    return true;
  };
}

/**
 * timestamptz_send (the instant) or timestamp_send (the wall clock in the session zone, as
 * datetime.ts druidWallClock) of epoch milliseconds: microseconds since 2000-01-01, while exact in a double.
 */
function epochBinary(timeZone: string, wallClock: boolean): TokenEncoder {
  const zone = zoneOffsetFn(timeZone);
  return (out, line, start, end) => {
    const ms = smallInteger(line, start, end);
    if (Number.isNaN(ms)) return false;
    const wall = wallClock ? ms + zone(ms) * MS_PER_SECOND : ms;
    const micros = (wall - PG_EPOCH_MS) * MICROS_PER_MS;
    if (!Number.isSafeInteger(micros)) return false;
    int64Field(out, micros);
    return true;
  };
}

const TEXT_OIDS: ReadonlySet<number> = new Set([Oid.text, Oid.varchar, Oid.bpchar, Oid.name, Oid.unknown]);

/**
 * The token encoder of a result column, or null when its values always take the value path.
 */
export function tokenEncoderFor(type: PgType, format: 0 | 1, ctx: OutputContext): TokenEncoder | null {
  if (TEXT_OIDS.has(type.oid)) return plainString;
  switch (type.oid) {
    case Oid.int8:
      return format === 1 ? integerBinary(INT64_BYTES) : integerText;
    case Oid.int4:
      return format === 1 ? integerBinary(INT32_BYTES) : integerText;
    case Oid.int2:
      return format === 1 ? integerBinary(INT16_BYTES) : integerText;
    case Oid.float8:
      return format === 1 ? float8Binary : float8TextEncoder(ctx.extraFloatDigits);
    case Oid.timestamptz:
      return format === 1 ? epochBinary(ctx.timeZone, false) : epochText(ctx.timeZone, true);
    case Oid.timestamp:
      return format === 1 ? epochBinary(ctx.timeZone, true) : epochText(ctx.timeZone, false);
    default:
      return null;
  }
}
