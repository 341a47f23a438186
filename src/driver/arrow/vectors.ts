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
import { readDecimal, readInteger } from './number-token.js';
import { decimalToken, FixedColumn, InstantColumn, Int64Column, integerToken } from './numbers.js';
import { TextColumn } from './utf8.js';

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
      return new FixedColumn(new Int32(), Int32Array, (v) => Number(integerText(v)), integerToken, readInteger);
    case Oid.int2:
      return new FixedColumn(new Int16(), Int16Array, (v) => Number(integerText(v)), integerToken, readInteger);
    case Oid.float8:
      return new FixedColumn(new Float64(), Float64Array, toFloat, decimalToken, readDecimal);
    case Oid.float4:
      return new FixedColumn(new Float32(), Float32Array, toFloat, decimalToken, readDecimal);
    case Oid.date:
      return new FixedColumn(new DateDay(), Int32Array, (v) => epochDays(v, zone), undefined, undefined);
    case Oid.timestamptz:
      return new InstantColumn(new Timestamp(TimeUnit.MILLISECOND, resolveTimeZone(ctx.timeZone)), (v) => BigInt(instantMs(v, zone)));
    case Oid.timestamp:
      return new Int64Column(new Timestamp(TimeUnit.MILLISECOND), (v) => BigInt(wallMs(v, zone)), undefined);
    case Oid.bool:
      return new BoolColumn();
    default:
      return new TextColumn(type, ctx);
  }
}

