import { Bool, DateDay, Float32, Float64, Int16, Int32, Int64, makeData, TimeUnit, Timestamp, type Data } from 'apache-arrow';
import { resolveTimeZone } from '../../exec/timezone.js';
import type { DruidValue } from '../../schema/druid.js';
import { toFloat } from '../../types/float.js';
import { Oid } from '../../types/oids.js';
import type { OutputContext, PgType } from '../../types/pg-type.js';
import { integerText, toBool } from '../../types/scalars.js';
import { zoneOffsetFn } from '../../types/timezone.js';
import { epochDays, instantMs, toBigInt, wallMs } from '../values.js';
import { ColumnBuilder, type Validity } from './column.js';
import { isoMillis } from './iso-token.js';
import { ASCII_STRING, NUMBER_TOKEN } from './line-tokens.js';
import { setInt64, shortDecimal, smallInteger } from './number-token.js';
import { TextColumn } from './utf8.js';

/** A number read from a token's bytes, or NaN when the token must be decoded (number-token.ts). */
type FastRead = (buf: Buffer, s: number, e: number, kind: number) => number;

const integerToken: FastRead = (buf, s, e, kind) => (kind === NUMBER_TOKEN ? smallInteger(buf, s, e) : NaN);
const decimalToken: FastRead = (buf, s, e, kind) => (kind === NUMBER_TOKEN ? shortDecimal(buf, s, e) : NaN);
/** A timestamptz as Druid sends it: ISO text in UTC (the instant whatever the zone) or epoch ms. */
const instantToken: FastRead = (buf, s, e, kind) => (kind === ASCII_STRING ? isoMillis(buf, s + 1, e - 1) : integerToken(buf, s, e, kind));

type FixedType = Int16 | Int32 | Float32 | Float64 | DateDay;

/** Int16/Int32/Float32/Float64/Date columns: one typed array per batch. */
class FixedColumn<T extends FixedType> extends ColumnBuilder {
  private values: T['TArray'];

  constructor(
    readonly type: T,
    private readonly ArrayType: new (n: number) => T['TArray'],
    private readonly read: (v: DruidValue) => number,
    private readonly fast: FastRead | undefined,
  ) {
    super();
    this.values = new ArrayType(0);
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

/** Int64 and Timestamp(ms) columns: a BigInt64Array, written through its 32-bit words for safe integers. */
class Int64Column extends ColumnBuilder {
  private values = new BigInt64Array(0);
  private words = new Int32Array(0);

  constructor(
    readonly type: Int64 | Timestamp,
    private readonly read: (v: DruidValue) => bigint,
    private readonly fast: FastRead | undefined,
  ) {
    super();
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

class BoolColumn extends ColumnBuilder {
  readonly type = new Bool();
  private bits = new Uint8Array(0);

  value(row: number, v: DruidValue): void {
    if (toBool(v)) this.bits[row >> 3] = (this.bits[row >> 3] as number) | (1 << (row & 7));
  }

  protected reset(rows: number): void {
    this.bits = new Uint8Array((rows + 7) >> 3);
  }

  protected data(rows: number, validity: Validity): Data {
    return makeData({ type: this.type, length: rows, ...validity, data: this.bits });
  }
}

/** The Arrow column builder of a scalar PostgreSQL type (docs/driver.md "Arrow"). */
export function scalarBuilder(type: PgType, ctx: OutputContext): ColumnBuilder {
  const zone = zoneOffsetFn(ctx.timeZone);
  switch (type.oid) {
    case Oid.int8:
      return new Int64Column(new Int64(), toBigInt, integerToken);
    case Oid.int4:
      return new FixedColumn(new Int32(), Int32Array, (v) => Number(integerText(v)), integerToken);
    case Oid.int2:
      return new FixedColumn(new Int16(), Int16Array, (v) => Number(integerText(v)), integerToken);
    case Oid.float8:
      return new FixedColumn(new Float64(), Float64Array, toFloat, decimalToken);
    case Oid.float4:
      return new FixedColumn(new Float32(), Float32Array, toFloat, decimalToken);
    case Oid.date:
      return new FixedColumn(new DateDay(), Int32Array, (v) => epochDays(v, zone), undefined);
    case Oid.timestamptz:
      return new Int64Column(new Timestamp(TimeUnit.MILLISECOND, resolveTimeZone(ctx.timeZone)), (v) => BigInt(instantMs(v, zone)), instantToken);
    case Oid.timestamp:
      return new Int64Column(new Timestamp(TimeUnit.MILLISECOND), (v) => BigInt(wallMs(v, zone)), undefined);
    case Oid.bool:
      return new BoolColumn();
    default:
      return new TextColumn(type, ctx);
  }
}

