/**
 * DataRow fields written while the JSON token of a Druid result line is scanned: each byte of a
 * plain string or an integer is read once and copied straight into the output; number tokens are
 * checked and measured in one pass (fused-numbers.ts). They write what the token encoders
 * (token-encoders.ts) write for the same token. A fused encoder takes the common shapes only and
 * returns -1, having written nothing, for anything else (escapes, ill-formed UTF-8, null, whitespace, a
 * line that ends): the caller then takes the token the general way (row-transcoder.ts), so the
 * bytes sent are those of the token and value encoders in every case.
 */
import { putLength, type FieldSink } from './field-sink.js';
import { Oid } from './oids.js';
import { fusedEpochBinary, fusedEpochText, fusedFloat8Binary, fusedFloat8Text, fusedIntegerBinary } from './fused-numbers.js';
import type { OutputContext, PgType } from './pg-type.js';

/**
 * Writes the field of the token starting at line[at] (the line ends before `end`) and returns
 * the index just past the token, or returns -1 having written nothing.
 */
export type FusedEncoder = (out: FieldSink, line: Buffer, at: number, end: number) => number;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const ASCII_END = 0x80;
/** JSON strings may not hold raw control characters (RFC 8259 §7). */
const FIRST_PRINTABLE = 0x20;
const LENGTH_BYTES = 4;
const CONTINUATION_MIN = 0x80;
const CONTINUATION_MAX = 0xbf;
/** UTF-8 lead bytes (RFC 3629 §4): C2-DF two bytes, E0-EF three, F0-F4 four. */
const LEAD2_MIN = 0xc2;
const LEAD3_MIN = 0xe0;
const LEAD4_MIN = 0xf0;
const LEAD4_MAX = 0xf4;
/** E0 and F0 need a second byte from A0 and 90 (no overlong forms), ED and F4 one up to 9F and 8F (no surrogates, nothing past U+10FFFF). */
const E0_SECOND_MIN = 0xa0;
const ED = 0xed;
const ED_SECOND_MAX = 0x9f;
const F0_SECOND_MIN = 0x90;
const F4_SECOND_MAX = 0x8f;

/**
 * The length of the well-formed UTF-8 sequence of a non-ASCII character whose lead byte is
 * line[i] (within `end`), else 0: the bytes the WHATWG UTF-8 decoder (Buffer#toString) reads as
 * that character, without replacing anything (no overlong forms, surrogates or code points past
 * U+10FFFF; https://encoding.spec.whatwg.org/#utf-8-decoder).
 */
function utf8SequenceLength(line: Buffer, i: number, end: number): number {
  const lead = line[i] as number;
  let n: number;
  let low = CONTINUATION_MIN;
  let high = CONTINUATION_MAX;
  if (lead >= LEAD2_MIN && lead < LEAD3_MIN) n = 2;
  else if (lead >= LEAD3_MIN && lead < LEAD4_MIN) {
    n = 3;
    if (lead === LEAD3_MIN) low = E0_SECOND_MIN;
    else if (lead === ED) high = ED_SECOND_MAX;
  } else if (lead >= LEAD4_MIN && lead <= LEAD4_MAX) {
    n = 4;
    if (lead === LEAD4_MIN) low = F0_SECOND_MIN;
    else if (lead === LEAD4_MAX) high = F4_SECOND_MAX;
  } else return 0;
  if (i + n > end) return 0;
  const second = line[i + 1] as number;
  if (second < low || second > high) return 0;
  for (let k = 2; k < n; k++) {
    const c = line[i + k] as number;
    if (c < CONTINUATION_MIN || c > CONTINUATION_MAX) return 0;
  }
  return n;
}

/**
 * Text types: a JSON string without escapes is its own text once it is well-formed UTF-8 without
 * control characters (the gateway sends UTF-8: src/exec/client-encoding.ts); it is copied while
 * it is checked, and the cursor moves only once the closing quote is found.
 */
export const fusedString: FusedEncoder = (out, line, at, end) => {
  if (line[at] !== QUOTE) return -1;
  // The field is at most the rest of the line.
  out.ensure(LENGTH_BYTES + end - at);
  const dst = out.target;
  const base = out.cursor + LENGTH_BYTES;
  const shift = base - at - 1;
  for (let i = at + 1; i < end; i++) {
    const c = line[i] as number;
    if (c === QUOTE) {
      const n = i - at - 1;
      putLength(dst, base - LENGTH_BYTES, n);
      out.cursor = base + n;
      return i + 1;
    }
    if (c === BACKSLASH || c < FIRST_PRINTABLE) return -1;
    if (c >= ASCII_END) {
      const n = utf8SequenceLength(line, i, end);
      if (n === 0) return -1;
      for (let k = 0; k < n; k++) dst[shift + i + k] = line[i + k] as number;
      i += n - 1;
      continue;
    }
    dst[shift + i] = c;
  }
  return -1;
};

/**
 * Integer types in text: a canonical JSON integer (-?(0|[1-9][0-9]*), not -0) followed by a comma
 * or the closing bracket is integerText's output; its digits are copied while they are checked.
 */
export const fusedIntegerText: FusedEncoder = (out, line, at, end) => {
  let i = at;
  if (line[i] === MINUS) i++;
  const first = line[i];
  if (first === undefined || first < DIGIT_0 || first > DIGIT_9 || i >= end) return -1;
  if (first === DIGIT_0 && i !== at) return -1;
  out.ensure(LENGTH_BYTES + end - at);
  const dst = out.target;
  const base = out.cursor + LENGTH_BYTES;
  const shift = base - at;
  if (i !== at) dst[base] = MINUS;
  dst[shift + i] = first;
  i++;
  if (first !== DIGIT_0) {
    for (; i < end; i++) {
      const c = line[i] as number;
      if (c < DIGIT_0 || c > DIGIT_9) break;
      dst[shift + i] = c;
    }
  }
  const next = line[i];
  if (i >= end || (next !== COMMA && next !== CLOSE_BRACKET)) return -1;
  putLength(dst, base - LENGTH_BYTES, i - at);
  out.cursor = base + i - at;
  return i;
};

const TEXT_OIDS: ReadonlySet<number> = new Set([Oid.text, Oid.varchar, Oid.bpchar, Oid.name, Oid.unknown]);
const INT8_BYTES = 8;
const INT4_BYTES = 4;
const INT2_BYTES = 2;

/** The fused encoder of a result column (the types token-encoders.ts tokenEncoderFor takes), or null. */
export function fusedEncoderFor(type: PgType, format: 0 | 1, ctx: OutputContext): FusedEncoder | null {
  if (TEXT_OIDS.has(type.oid)) return fusedString;
  const binary = format === 1;
  switch (type.oid) {
    case Oid.int8:
      return binary ? fusedIntegerBinary(INT8_BYTES) : fusedIntegerText;
    case Oid.int4:
      return binary ? fusedIntegerBinary(INT4_BYTES) : fusedIntegerText;
    case Oid.int2:
      return binary ? fusedIntegerBinary(INT2_BYTES) : fusedIntegerText;
    case Oid.float8:
      return binary ? fusedFloat8Binary : fusedFloat8Text(ctx.extraFloatDigits);
    case Oid.timestamptz:
      return binary ? fusedEpochBinary(ctx.timeZone, false) : fusedEpochText(ctx.timeZone, true);
    case Oid.timestamp:
      return binary ? fusedEpochBinary(ctx.timeZone, true) : fusedEpochText(ctx.timeZone, false);
    default:
      return null;
  }
}
