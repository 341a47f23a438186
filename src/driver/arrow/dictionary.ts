import { Dictionary, Int32, makeData, makeVector, Utf8, type Data, type Vector } from 'apache-arrow';
import type { DruidValue } from '../../schema/druid.js';
import type { OutputContext, PgType } from '../../types/pg-type.js';
import { ColumnBuilder, type Validity } from './column.js';
import { ASCII_STRING } from './line-tokens.js';
import { utf8Data } from './utf8.js';

/**
 * A text or varchar column dictionary-encoded for the whole result: each batch adds its new strings
 * as one more chunk of the shared dictionary, which apache-arrow's stream writer sends as a delta
 * dictionary batch (https://arrow.apache.org/docs/format/Columnar.html#delta-dictionaries). A plain
 * ASCII string token is looked up by its bytes read as Latin-1, which for ASCII is the string.
 */
export class DictionaryColumn extends ColumnBuilder {
  readonly type: Dictionary<Utf8, Int32>;
  private readonly codes = new Map<string, number>();
  private readonly chunks: Data<Utf8>[] = [];
  private dictionary: Vector<Utf8> = makeVector(utf8Data([]));
  private added: string[] = [];
  private indices = new Int32Array(0);

  constructor(
    private readonly pgType: PgType,
    private readonly ctx: OutputContext,
    id: number,
  ) {
    super();
    this.type = new Dictionary(new Utf8(), new Int32(), id);
  }

  override token(row: number, buf: Buffer, s: number, e: number, kind: number): void {
    if (kind === ASCII_STRING) this.indices[row] = this.code(buf.toString('latin1', s + 1, e - 1));
    else super.token(row, buf, s, e, kind);
  }

  value(row: number, v: DruidValue): void {
    this.indices[row] = this.code(this.pgType.toText(v, this.ctx));
  }

  protected reset(rows: number): void {
    this.indices = new Int32Array(rows);
    this.added = [];
  }

  protected data(rows: number, validity: Validity): Data {
    if (this.added.length > 0 || this.chunks.length === 0) {
      this.chunks.push(utf8Data(this.added));
      this.dictionary = makeVector(this.chunks);
    }
    return makeData({ type: this.type, length: rows, ...validity, data: this.indices.subarray(0, rows), dictionary: this.dictionary });
  }

  private code(text: string): number {
    let code = this.codes.get(text);
    if (code === undefined) {
      code = this.codes.size;
      this.codes.set(text, code);
      this.added.push(text);
    }
    return code;
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
