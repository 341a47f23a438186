/**
 * Writing DataRow fields (int32 length, then the bytes) straight into an output buffer, for the
 * token encoders (token-encoders.ts).
 * https://www.postgresql.org/docs/current/protocol-message-formats.html (DataRow)
 */

const LENGTH_BYTES = 4;
const INT64_BYTES = 8;
const INT32_BYTES = 4;
const TWO_POW_32 = 4_294_967_296;
/** Longest ASCII text written by asciiField (float8Text's: a 17-digit mantissa, sign, point and exponent fit). */
const MAX_TEXT_BYTES = 64;
/** Fields up to this many bytes are copied with a loop rather than Buffer#copy. */
export const SHORT_COPY_BYTES = 32;
const BYTE_MASK = 0xff;

/**
 * Where fields are written (src/wire/byte-builder.ts ByteBuilder satisfies it): after ensure(n),
 * up to n bytes may be written into `target` from `cursor` on, and `cursor` moved past them.
 */
export interface FieldSink {
  ensure(n: number): void;
  readonly target: Buffer;
  cursor: number;
}

/** Writes a non-negative field length (int32, big-endian) at `at`: cheaper than writeInt32BE's checks. */
export function putLength(dst: Buffer, at: number, n: number): void {
  dst[at] = n >>> 24;
  dst[at + 1] = (n >>> 16) & BYTE_MASK;
  dst[at + 2] = (n >>> 8) & BYTE_MASK;
  dst[at + 3] = n & BYTE_MASK;
}

/** Copies bytes as the field; short runs byte by byte (cheaper than a native copy call). */
export function copyField(out: FieldSink, line: Buffer, start: number, end: number): void {
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
export function asciiField(out: FieldSink, text: string): void {
  const n = text.length;
  out.ensure(LENGTH_BYTES + MAX_TEXT_BYTES);
  const dst = out.target;
  const at = out.cursor + LENGTH_BYTES;
  putLength(dst, at - LENGTH_BYTES, n);
  for (let i = 0; i < n; i++) dst[at + i] = text.charCodeAt(i);
  out.cursor = at + n;
}

/** A safe integer as a big-endian int64 field. */
export function int64Field(out: FieldSink, n: number): void {
  out.ensure(LENGTH_BYTES + INT64_BYTES);
  const dst = out.target;
  const at = out.cursor;
  putLength(dst, at, INT64_BYTES);
  const high = Math.floor(n / TWO_POW_32);
  dst.writeInt32BE(high, at + LENGTH_BYTES);
  dst.writeUInt32BE(n - high * TWO_POW_32, at + LENGTH_BYTES + INT32_BYTES);
  out.cursor = at + LENGTH_BYTES + INT64_BYTES;
}
