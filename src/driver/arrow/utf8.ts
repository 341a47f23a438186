import { makeData, Utf8, type Data } from 'apache-arrow';
import type { DruidValue } from '../../schema/druid.js';
import { Oid } from '../../types/oids.js';
import type { OutputContext, PgType } from '../../types/pg-type.js';
import { ColumnBuilder, type Validity } from './column.js';
import type { BatchLines } from './batch-lines.js';
import { ASCII_STRING } from './line-tokens.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Bytes below this are control characters, not allowed unescaped in a JSON string. */
const FIRST_PRINTABLE = 0x20;
/** Bytes from this on are parts of multi-byte UTF-8 characters. */
const FIRST_NON_ASCII = 0x80;

/** Strings shorter than this are copied byte by byte (cheaper than a native copy call). */
const SHORT_COPY_BYTES = 32;
/** The smallest data buffer of a batch; it doubles when full. */
const INITIAL_DATA_BYTES = 1024;
/** A batch's data buffer holds its rows at the previous batch's bytes per row and this much more. */
const SIZE_SLACK = 1.25;

/** Growable Utf8 offsets and bytes. */
export class Utf8Bytes {
  offsets = new Int32Array(1);
  bytes = Buffer.alloc(0);
  length = 0;
  private pos = 0;

  /**
   * Starts a batch of `rows` rows whose raw lines have `bytes` bytes in all (0 when built from
   * values): the data buffer is sized by the previous batch's bytes per row, within those bytes.
   */
  reset(rows: number, bytes: number): void {
    let size = bytes > 0 ? bytes : INITIAL_DATA_BYTES;
    if (this.length > 0) {
      const estimate = Math.ceil((this.pos / this.length) * rows * SIZE_SLACK);
      size = bytes > 0 ? Math.min(bytes, estimate) : estimate;
    }
    this.offsets = new Int32Array(rows + 1);
    this.bytes = Buffer.allocUnsafe(Math.max(size, INITIAL_DATA_BYTES));
    this.length = 0;
    this.pos = 0;
  }

  /** Appends the bytes buf[s, e). */
  pushBytes(buf: Buffer, s: number, e: number): void {
    const n = e - s;
    this.reserve(n);
    if (n < SHORT_COPY_BYTES) {
      const out = this.bytes;
      let at = this.pos;
      for (let i = s; i < e; i++) out[at++] = buf[i] as number;
    } else {
      buf.copy(this.bytes, this.pos, s, e);
    }
    this.end(n);
  }

  /**
   * Appends the text of the JSON string at buf[s] (a quote) when it is printable ASCII without
   * escapes and returns the position after its closing quote; else appends nothing and returns -1.
   */
  pushAsciiString(buf: Buffer, s: number, end: number): number {
    const out = this.bytes;
    let at = this.pos;
    for (let i = s + 1; i < end; i++) {
      const c = buf[i] as number;
      if (c === QUOTE) {
        this.end(at - this.pos);
        return i + 1;
      }
      if (c === BACKSLASH || c < FIRST_PRINTABLE || c >= FIRST_NON_ASCII) return -1;
      if (at === out.length) {
        // The buffer is full: grown to hold the rest of the line, the string is read again.
        this.reserve(end - s);
        return this.pushAsciiString(buf, s, end);
      }
      out[at++] = c;
    }
    return -1;
  }

  pushText(text: string): void {
    this.reserve(Buffer.byteLength(text, 'utf8'));
    this.end(this.bytes.write(text, this.pos, 'utf8'));
  }

  /** A null or empty entry. */
  pushEmpty(): void {
    this.end(0);
  }

  data(validity: Validity): Data<Utf8> {
    const bytes = new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.pos);
    return makeData({ type: new Utf8(), length: this.length, ...validity, valueOffsets: this.offsets.subarray(0, this.length + 1), data: bytes });
  }

  private end(n: number): void {
    this.pos += n;
    this.offsets[++this.length] = this.pos;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.pos + n));
    this.bytes.copy(grown, 0, 0, this.pos);
    this.bytes = grown;
  }
}

/**
 * PostgreSQL's text output of each value as Utf8: text, json, numeric (exact digits) and the other
 * types. A plain ASCII string token is its own text (text's output of a string is the string), so
 * text and varchar columns copy those bytes from the line.
 */
export class TextColumn extends ColumnBuilder {
  readonly type = new Utf8();
  private readonly out = new Utf8Bytes();
  private readonly copiesTokens: boolean;

  constructor(
    private readonly pgType: PgType,
    private readonly ctx: OutputContext,
  ) {
    super();
    this.copiesTokens = isPlainText(pgType);
  }

  override null(row: number): void {
    super.null(row);
    this.out.pushEmpty();
  }

  /** text and varchar: copies each plain ASCII string's bytes while finding its closing quote. */
  override scan(lines: BatchLines, last: boolean): boolean {
    if (!this.copiesTokens) return super.scan(lines, last);
    const { bufs, pos, ends } = lines;
    const out = this.out;
    for (let r = 0; r < lines.rows; r++) {
      const buf = bufs[r] as Buffer;
      const s = pos[r] as number;
      const e = buf[s] === QUOTE ? out.pushAsciiString(buf, s, ends[r] as number) : -1;
      if (e >= 0) {
        if (!lines.close(r, buf, e, last)) return false;
      } else if (!this.scanToken(lines, r, last)) {
        return false;
      }
    }
    return true;
  }

  override token(row: number, buf: Buffer, s: number, e: number, kind: number): void {
    if (kind === ASCII_STRING && this.copiesTokens) this.out.pushBytes(buf, s + 1, e - 1);
    else super.token(row, buf, s, e, kind);
  }

  value(_row: number, v: DruidValue): void {
    this.out.pushText(this.pgType.toText(v, this.ctx));
  }

  protected reset(rows: number, bytes: number): void {
    this.out.reset(rows, bytes);
  }

  protected data(_rows: number, validity: Validity): Data {
    return this.out.data(validity);
  }
}

/** text and varchar: their output of a string value is the string itself (src/types/json-text.ts plainText). */
export function isPlainText(type: PgType): boolean {
  return type.oid === Oid.text || type.oid === Oid.varchar;
}
