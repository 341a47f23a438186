import type { Data, DataType } from 'apache-arrow';
import { parseJsonLine } from '../../backend/lossless-json.js';
import type { DruidValue } from '../../schema/druid.js';
import type { BatchLines } from './batch-lines.js';
import { NULL_TOKEN, TokenKind, tokenEnd } from './line-tokens.js';

/** The kind of the token scanToken() read last. */
const KIND = new TokenKind();

/**
 * Accumulates one Arrow column of a batch, row by row: from decoded Druid values (value/null) or
 * from a token of the raw result line (token), which a builder reads from the bytes where it can
 * and otherwise decodes as JSON, so that both give the same column.
 */
export abstract class ColumnBuilder {
  abstract readonly type: DataType;
  private bitmap: Uint8Array | undefined;
  private nulls = 0;
  private capacity = 0;

  /** Starts a batch of up to `rows` rows whose raw lines have `bytes` bytes in all. */
  begin(rows: number, bytes: number): void {
    this.bitmap = undefined;
    this.nulls = 0;
    this.capacity = rows;
    this.reset(rows, bytes);
  }

  /** Row `row` is SQL NULL. */
  null(row: number): void {
    if (this.bitmap === undefined) this.bitmap = new Uint8Array((this.capacity + 7) >> 3).fill(ALL_VALID);
    this.bitmap[row >> 3] = (this.bitmap[row >> 3] as number) & ~(1 << (row & 7));
    this.nulls++;
  }

  /** Row `row` is the JSON token buf[s, e) of kind `kind` (line-tokens.ts). */
  token(row: number, buf: Buffer, s: number, e: number, kind: number): void {
    if (kind === NULL_TOKEN) this.null(row);
    else this.value(row, parseJsonLine(buf.toString('utf8', s, e)));
  }

  /**
   * Reads this column's value of every line of `lines` (column by column, batch-lines.ts); false
   * when a line is not in the compact form Druid writes. Builders override it with a loop that
   * reads their usual tokens straight from the bytes; this one reads each value as a token.
   */
  scan(lines: BatchLines, last: boolean): boolean {
    for (let r = 0; r < lines.rows; r++) if (!this.scanToken(lines, r, last)) return false;
    return true;
  }

  /** Line r's value read with token(); false when the line is not in compact form there. */
  protected scanToken(lines: BatchLines, r: number, last: boolean): boolean {
    const buf = lines.bufs[r] as Buffer;
    const s = lines.pos[r] as number;
    const e = tokenEnd(buf, s, lines.ends[r] as number, KIND);
    if (e < 0 || !lines.close(r, buf, e, last)) return false;
    this.token(r, buf, s, e, KIND.kind);
    return true;
  }

  /** Row `row` is the non-null Druid value `v`. */
  abstract value(row: number, v: DruidValue): void;

  /** The column of the first `rows` rows. */
  finish(rows: number): Data {
    return this.data(rows, { nullBitmap: this.bitmap, nullCount: this.nulls });
  }

  protected abstract reset(rows: number, bytes: number): void;
  protected abstract data(rows: number, validity: Validity): Data;
}

/** A validity bitmap (bit set = valid), undefined when no row is null. */
export interface Validity {
  nullBitmap: Uint8Array | undefined;
  nullCount: number;
}

/** A bitmap byte with every row valid. */
const ALL_VALID = 0xff;

/** Builds a column of `values` (nulls included) with `builder`. */
export function buildColumn(builder: ColumnBuilder, values: readonly DruidValue[]): Data {
  builder.begin(values.length, 0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) builder.null(i);
    else builder.value(i, v);
  }
  return builder.finish(values.length);
}
