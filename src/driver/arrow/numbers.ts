import { makeData, type DateDay, type Float32, type Float64, type Int16, type Int32, type Int64, type Timestamp, type Data } from 'apache-arrow';
import type { DruidValue } from '../../schema/druid.js';
import type { BatchLines } from './batch-lines.js';
import { ColumnBuilder, type Validity } from './column.js';
import { Int64Read, readInt64 } from './int64-token.js';
import { IsoReader } from './iso-token.js';
import { ASCII_STRING, NUMBER_TOKEN } from './line-tokens.js';
import { NumberRead, readInteger, setInt64, shortDecimal, smallInteger } from './number-token.js';

/** A number read from a token's bytes, or NaN when the token must be decoded (number-token.ts). */
export type FastRead = (buf: Buffer, s: number, e: number, kind: number) => number;
/** readInteger() or readDecimal(): a number read where a value starts, as a column's scan reads it. */
export type ScanRead = (buf: Uint8Array, p: number, end: number, out: NumberRead) => number;

export const integerToken: FastRead = (buf, s, e, kind) => (kind === NUMBER_TOKEN ? smallInteger(buf, s, e) : NaN);
export const decimalToken: FastRead = (buf, s, e, kind) => (kind === NUMBER_TOKEN ? shortDecimal(buf, s, e) : NaN);

const QUOTE = 0x22;
/** A quoted timestamp text of Druid's usual form: 24 characters between two quotes. */
const ISO_TOKEN_BYTES = 26;
const TWO_TO_32 = 2 ** 32;

type FixedType = Int16 | Int32 | Float32 | Float64 | DateDay;

/** Int16/Int32/Float32/Float64/Date columns: one typed array per batch. */
export class FixedColumn<T extends FixedType> extends ColumnBuilder {
  private values: T['TArray'];
  private readonly number = new NumberRead();

  constructor(
    readonly type: T,
    private readonly ArrayType: new (n: number) => T['TArray'],
    private readonly read: (v: DruidValue) => number,
    private readonly fast: FastRead | undefined,
    private readonly scanRead: ScanRead | undefined,
  ) {
    super();
    this.values = new ArrayType(0);
  }

  override scan(lines: BatchLines, last: boolean): boolean {
    const read = this.scanRead;
    if (read === undefined) return super.scan(lines, last);
    const { bufs, pos, ends } = lines;
    const { values, number } = this;
    for (let r = 0; r < lines.rows; r++) {
      const buf = bufs[r] as Buffer;
      const e = read(buf, pos[r] as number, ends[r] as number, number);
      if (e >= 0 && lines.close(r, buf, e, last)) values[r] = number.value;
      else if (!this.scanToken(lines, r, last)) return false;
    }
    return true;
  }

  override token(row: number, buf: Buffer, s: number, e: number, kind: number): void {
    const n = this.fast === undefined ? NaN : this.fast(buf, s, e, kind);
    if (Number.isNaN(n)) super.token(row, buf, s, e, kind);
    else this.values[row] = n;
  }

  value(row: number, v: DruidValue): void {
    this.values[row] = this.read(v);
  }

  protected reset(rows: number): void {
    this.values = new this.ArrayType(rows);
  }

  protected data(rows: number, validity: Validity): Data {
    return makeData({ type: this.type, length: rows, ...validity, data: this.values.subarray(0, rows) } as never);
  }
}

/**
 * Int64 and Timestamp(ms) columns: a BigInt64Array, written through its two 32-bit words for values
 * read from the bytes (no BigInt per value). Its scan reads integers of up to 18 digits.
 */
export class Int64Column extends ColumnBuilder {
  protected values = new BigInt64Array(0);
  protected words = new Int32Array(0);
  private readonly int64 = new Int64Read();

  constructor(
    readonly type: Int64 | Timestamp,
    private readonly read: (v: DruidValue) => bigint,
    private readonly fast: FastRead | undefined,
  ) {
    super();
  }

  override scan(lines: BatchLines, last: boolean): boolean {
    if (this.fast === undefined) return super.scan(lines, last);
    const { bufs, pos, ends } = lines;
    const { words, int64 } = this;
    for (let r = 0; r < lines.rows; r++) {
      const buf = bufs[r] as Buffer;
      const e = readInt64(buf, pos[r] as number, ends[r] as number, int64);
      if (e >= 0 && lines.close(r, buf, e, last)) {
        words[2 * r] = int64.lo;
        words[2 * r + 1] = int64.hi;
      } else if (!this.scanToken(lines, r, last)) {
        return false;
      }
    }
    return true;
  }

  override token(row: number, buf: Buffer, s: number, e: number, kind: number): void {
    const n = this.fast === undefined ? NaN : this.fast(buf, s, e, kind);
    if (Number.isNaN(n)) super.token(row, buf, s, e, kind);
    else setInt64(this.words, row, n);
  }

  value(row: number, v: DruidValue): void {
    this.values[row] = this.read(v);
  }

  protected reset(rows: number): void {
    this.values = new BigInt64Array(rows);
    this.words = new Int32Array(this.values.buffer);
  }

  protected data(rows: number, validity: Validity): Data {
    return makeData({ type: this.type, length: rows, ...validity, data: this.values.subarray(0, rows) } as never);
  }
}

/**
 * A timestamptz column as Druid sends it: ISO text in UTC (the instant whatever the session zone)
 * or epoch milliseconds; both read from the bytes when in their usual form.
 */
export class InstantColumn extends Int64Column {
  private readonly iso = new IsoReader();
  private readonly number = new NumberRead();

  constructor(type: Timestamp, read: (v: DruidValue) => bigint) {
    super(type, read, integerToken);
  }

  override token(row: number, buf: Buffer, s: number, e: number, kind: number): void {
    const ms = kind === ASCII_STRING ? this.iso.readText(buf, s + 1, e - 1) : NaN;
    if (Number.isNaN(ms)) super.token(row, buf, s, e, kind);
    else setInt64(this.words, row, ms);
  }

  override scan(lines: BatchLines, last: boolean): boolean {
    const { bufs, pos, ends } = lines;
    const { words, number, iso } = this;
    for (let r = 0; r < lines.rows; r++) {
      const buf = bufs[r] as Buffer;
      const s = pos[r] as number;
      let e = -1;
      let ms = NaN;
      if (buf[s] === QUOTE) {
        if (s + ISO_TOKEN_BYTES <= (ends[r] as number) && buf[s + ISO_TOKEN_BYTES - 1] === QUOTE) {
          ms = iso.read(buf, s + 1);
          e = s + ISO_TOKEN_BYTES;
        }
      } else {
        e = readInteger(buf, s, ends[r] as number, number);
        ms = number.value;
      }
      if (e >= 0 && !Number.isNaN(ms) && lines.close(r, buf, e, last)) {
        words[2 * r] = ms;
        words[2 * r + 1] = Math.floor(ms / TWO_TO_32);
      } else if (!this.scanToken(lines, r, last)) {
        return false;
      }
    }
    return true;
  }
}
