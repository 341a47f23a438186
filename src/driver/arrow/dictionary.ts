import { Dictionary, Int32, makeData, makeVector, Utf8, type Data, type Vector } from 'apache-arrow';
import type { DruidValue } from '../../schema/druid.js';
import type { OutputContext, PgType } from '../../types/pg-type.js';
import { ColumnBuilder, type Validity } from './column.js';
import type { BatchLines } from './batch-lines.js';
import { ByteStrings, FNV_OFFSET, FNV_PRIME } from './byte-strings.js';
import { ASCII_STRING } from './line-tokens.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Bytes below this are control characters, not allowed unescaped in a JSON string. */
const FIRST_PRINTABLE = 0x20;
/** Bytes from this on are parts of multi-byte UTF-8 characters. */
const FIRST_NON_ASCII = 0x80;

/**
 * A text or varchar column dictionary-encoded for the whole result: each batch adds its new strings
 * as one more chunk of the shared dictionary, which apache-arrow's stream writer sends as a delta
 * dictionary batch (https://arrow.apache.org/docs/format/Columnar.html#delta-dictionaries). A plain
 * ASCII string token is looked up by its bytes, which are its UTF-8 text, without decoding it.
 */
export class DictionaryColumn extends ColumnBuilder {
  readonly type: Dictionary<Utf8, Int32>;
  private readonly strings = new ByteStrings();
  private readonly chunks: Data<Utf8>[] = [];
  private dictionary: Vector<Utf8> = makeVector(this.strings.utf8(0, 0));
  /** Strings [0, sent) are in the dictionary's chunks. */
  private sent = 0;
  private indices = new Int32Array(0);

  constructor(
    private readonly pgType: PgType,
    private readonly ctx: OutputContext,
    id: number,
  ) {
    super();
    this.type = new Dictionary(new Utf8(), new Int32(), id);
  }

  /**
   * Hashes each plain ASCII string while finding its closing quote (ByteStrings.codeHashed). A batch
   * that is then read again line by line (batches.ts) adds the same strings in the same order again,
   * which finds those this scan added.
   */
  override scan(lines: BatchLines, last: boolean): boolean {
    const { bufs, pos, ends } = lines;
    const { indices, strings } = this;
    for (let r = 0; r < lines.rows; r++) {
      const buf = bufs[r] as Buffer;
      const s = pos[r] as number;
      const end = ends[r] as number;
      let close = -1;
      if (buf[s] === QUOTE) {
        let h = FNV_OFFSET;
        for (let i = s + 1; i < end; i++) {
          const c = buf[i] as number;
          if (c === QUOTE) {
            close = i;
            break;
          }
          if (c === BACKSLASH || c < FIRST_PRINTABLE || c >= FIRST_NON_ASCII) break;
          h = Math.imul(h ^ c, FNV_PRIME);
        }
        if (close >= 0) {
          if (!lines.close(r, buf, close + 1, last)) return false;
          indices[r] = strings.codeHashed(buf, s + 1, close, h);
          continue;
        }
      }
      if (!this.scanToken(lines, r, last)) return false;
    }
    return true;
  }

  override token(row: number, buf: Buffer, s: number, e: number, kind: number): void {
    if (kind === ASCII_STRING) this.indices[row] = this.strings.code(buf, s + 1, e - 1);
    else super.token(row, buf, s, e, kind);
  }

  value(row: number, v: DruidValue): void {
    this.indices[row] = this.strings.codeOf(this.pgType.toText(v, this.ctx));
  }

  protected reset(rows: number): void {
    this.indices = new Int32Array(rows);
  }

  protected data(rows: number, validity: Validity): Data {
    const size = this.strings.size;
    if (size > this.sent || this.chunks.length === 0) {
      this.chunks.push(this.strings.utf8(this.sent, size));
      this.dictionary = makeVector(this.chunks);
      this.sent = size;
    }
    return makeData({ type: this.type, length: rows, ...validity, data: this.indices.subarray(0, rows), dictionary: this.dictionary });
  }
}

/** Low cardinality: at most this share of a first batch's non-null values are distinct. */
const DICTIONARY_MAX_DISTINCT_SHARE = 0.5;
/** A dictionary never grows past this many distinct strings in the first batch. */
const DICTIONARY_MAX_DISTINCT = 65_536;

/** Whether a text column's first batch is low-cardinality enough for a dictionary. */
export function lowCardinality(values: readonly DruidValue[]): boolean {
  const seen = new Set<DruidValue>();
  let present = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    present++;
    seen.add(typeof v === 'object' ? JSON.stringify(v) : v);
    if (seen.size > DICTIONARY_MAX_DISTINCT) return false;
  }
  return present > 0 && seen.size <= present * DICTIONARY_MAX_DISTINCT_SHARE;
}
