/**
 * DataRow fields written straight from the bytes of a Druid JSON token (docs/druid-api.md "The
 * arrayLines result format"), without decoding it into a value first. Each encoder handles the
 * common token shapes of its type and returns false for anything else, having written nothing;
 * the caller then decodes the token and uses the type's toText/toBinary, so the bytes sent are
 * always those of the value encoders in scalars.ts.
 */
import { PG_EPOCH_MS } from './civil.js';
import { EPOCH_TEXT_MAX_BYTES, epochTextWriter } from './epoch-text.js';
import { asciiField, copyField, int64Field, putLength, SHORT_COPY_BYTES, type FieldSink } from './field-sink.js';
import { float8Text } from './float.js';
import { integerLength, isShortestFixedDecimal, numberToken, smallInteger } from './json-number-token.js';
import { Oid } from './oids.js';
import { zoneOffsetFn } from './timezone.js';
import type { OutputContext, PgType } from './pg-type.js';

/** Writes the field (int32 length, then the bytes) for line[start, end); false when it cannot. */
export type TokenEncoder = (out: FieldSink, line: Buffer, start: number, end: number) => boolean;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ASCII_END = 0x80;
/** JSON strings may not hold raw control characters (RFC 8259 §7). */
const FIRST_PRINTABLE = 0x20;
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

function float8TextEncoder(extraFloatDigits: number): TokenEncoder {
  const shortest = extraFloatDigits > 0;
  return (out, line, start, end) => {
    if (shortest && isShortestFixedDecimal(line, start, end)) {
      copyField(out, line, start, end);
      return true;
    }
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
