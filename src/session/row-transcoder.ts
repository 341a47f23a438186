/**
 * Writes result rows as DataRows. Raw rows (Druid's JSON array lines) are transcoded from their
 * bytes: the line is scanned token by token, each token first offered to its column's fused
 * encoder (src/types/fused-encoders.ts: scanned and written in one pass), else delimited here and
 * written by the column's token encoder (src/types/token-encoders.ts) straight into the output
 * buffer; a token neither takes is decoded and written by the column's value encoder, and a line
 * the scanner does not take whole is decoded and written like decoded rows. The bytes sent are
 * those of the value encoders in every case (test/unit/session/row-transcoder.test.ts).
 */
import { parseJsonLine } from '../backend/lossless-json.js';
import { parseRowLine } from '../backend/row-line.js';
import type { DruidValue, RawRows } from '../schema/druid.js';
import type { OutputContext } from '../types/pg-type.js';
import { fusedEncoderFor, type FusedEncoder } from '../types/fused-encoders.js';
import { tokenEncoderFor, type TokenEncoder } from '../types/token-encoders.js';
import type { BackendWriter } from '../wire/backend-writer.js';
import type { ByteBuilder } from '../wire/byte-builder.js';
import { BackendCode } from '../wire/constants.js';
import type { FormatCode } from '../wire/messages.js';
import type { ResultColumn } from '../exec/row-source.js';
import { encoders, formatFor, type EncodedValue, type ValueEncoder } from './row-source.js';

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NULL_BYTES = Buffer.from('null');
const SQL_NULL_LENGTH = -1;
/** DataRow body bytes before the fields: the int16 field count. */
const FIELD_COUNT_BYTES = 2;
const FIELD_LENGTH_BYTES = 4;
const BITS_PER_BYTE = 8;
const BYTE_MASK = 0xff;

/** The end (exclusive) of the JSON value starting at `at`, or -1 when the line ends first. */
function tokenEnd(line: Buffer, at: number, end: number): number {
  const first = line[at];
  if (first === QUOTE) {
    for (let i = at + 1; i < end; i++) {
      const c = line[i];
      if (c === QUOTE) return i + 1;
      if (c === BACKSLASH) i++;
    }
    return -1;
  }
  if (first === OPEN_BRACKET || first === OPEN_BRACE) {
    let depth = 0;
    let inString = false;
    for (let i = at; i < end; i++) {
      const c = line[i];
      if (inString) {
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) inString = false;
      } else if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACKET || c === OPEN_BRACE) depth++;
      else if ((c === CLOSE_BRACKET || c === CLOSE_BRACE) && --depth === 0) return i + 1;
    }
    return -1;
  }
  let i = at;
  while (i < end && line[i] !== COMMA && line[i] !== CLOSE_BRACKET) i++;
  return i === at ? -1 : i;
}

/** True for the token `null`, compared byte by byte (cheaper than a native compare call). */
function isNullToken(line: Buffer, start: number, end: number): boolean {
  if (end - start !== NULL_BYTES.length) return false;
  for (let i = 0; i < NULL_BYTES.length; i++) if (line[start + i] !== NULL_BYTES[i]) return false;
  return true;
}

export class RowTranscoder {
  private readonly width: number;
  private readonly encode: ValueEncoder[];
  private readonly tokens: Array<TokenEncoder | null>;
  private readonly fused: Array<FusedEncoder | null>;
  private readonly values: EncodedValue[];

  constructor(columns: readonly ResultColumn[], formats: readonly FormatCode[], ctx: OutputContext) {
    this.width = columns.length;
    this.encode = encoders(columns, formats, ctx);
    this.tokens = columns.map((c, i) => tokenEncoderFor(c.type, formatFor(formats, i), ctx));
    this.fused = columns.map((c, i) => fusedEncoderFor(c.type, formatFor(formats, i), ctx));
    this.values = new Array<EncodedValue>(this.width);
  }

  /** One DataRow per decoded row. */
  writeValues(writer: BackendWriter, rows: readonly DruidValue[][]): void {
    const width = this.width;
    const values = this.values;
    for (const row of rows) {
      for (let i = 0; i < width; i++) values[i] = (this.encode[i] as ValueEncoder)(row[i] ?? null);
      writer.dataRow(values);
    }
  }

  /**
   * One DataRow per raw row in [from, to). A malformed line fails with the decoder's error and
   * drops the rows of this call already written, as decoding the batch first would.
   */
  writeRaw(writer: BackendWriter, raw: RawRows, from: number, to: number): void {
    const out = writer.buffer;
    const batchMark = out.length;
    for (let k = from; k < to; k++) {
      const line = raw.bufs[k] as Buffer;
      const start = raw.starts[k] as number;
      const end = raw.ends[k] as number;
      const mark = out.begin(BackendCode.DataRow, FIELD_COUNT_BYTES + this.width * FIELD_LENGTH_BYTES);
      try {
        if (this.transcode(out, line, start, end)) {
          out.end(mark);
          continue;
        }
      } catch (err) {
        out.rewind(mark);
        throw err;
      }
      out.rewind(mark);
      let row: DruidValue[];
      try {
        row = parseRowLine(line.toString('utf8', start, end), raw.firstRow + k - raw.from, this.width);
      } catch (err) {
        out.rewind(batchMark);
        throw err;
      }
      this.writeValues(writer, [row]);
    }
  }

  /** Writes the field count and fields of one line; false (partly written) when the line is not a plain array of `width` values. */
  private transcode(out: ByteBuilder, line: Buffer, start: number, end: number): boolean {
    // The field count: writeRaw's begin() made room for it.
    const count = out.cursor;
    out.target[count] = this.width >>> BITS_PER_BYTE;
    out.target[count + 1] = this.width & BYTE_MASK;
    out.cursor = count + FIELD_COUNT_BYTES;
    if (line[start] !== OPEN_BRACKET) return false;
    let at = start + 1;
    for (let i = 0; i < this.width; i++) {
      if (i > 0) {
        if (line[at] !== COMMA) return false;
        at++;
      }
      const fused = this.fused[i];
      if (fused !== null && fused !== undefined) {
        const next = fused(out, line, at, end);
        if (next >= 0) {
          at = next;
          continue;
        }
      }
      const tokenStart = at;
      at = tokenEnd(line, at, end);
      if (at < 0) return false;
      if (isNullToken(line, tokenStart, at)) {
        out.i32(SQL_NULL_LENGTH);
        continue;
      }
      const token = this.tokens[i];
      if (token !== null && token !== undefined && token(out, line, tokenStart, at)) continue;
      let value: DruidValue;
      try {
        value = parseJsonLine(line.toString('utf8', tokenStart, at));
      } catch {
        return false;
      }
      out.lengthPrefixed((this.encode[i] as ValueEncoder)(value));
    }
    return at === end - 1 && line[at] === CLOSE_BRACKET;
  }
}
