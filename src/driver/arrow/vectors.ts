import { Bool, DateDay, Float32, Float64, Int16, Int32, Int64, makeData, TimeUnit, Timestamp, Utf8, type Data, type DataType } from 'apache-arrow';
import type { DruidValue } from '../../schema/druid.js';
import { toFloat } from '../../types/float.js';
import { Oid } from '../../types/oids.js';
import type { OutputContext, PgType } from '../../types/pg-type.js';
import { integerText, toBool } from '../../types/scalars.js';
import { zoneOffsetFn } from '../../types/timezone.js';
import { resolveTimeZone } from '../../exec/timezone.js';
import { epochDays, instantMs, toBigInt, wallMs } from '../values.js';

/** Builds one Arrow column (Data) from the non-null-checked values of a batch. */
export interface VectorBuilder {
  readonly type: DataType;
  build(values: readonly DruidValue[]): Data;
}

/** The validity bitmap (bit set = valid) and null count; undefined bitmap when nothing is null. */
export function validity(values: readonly DruidValue[]): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  let nullCount = 0;
  for (const v of values) if (v === null || v === undefined) nullCount++;
  if (nullCount === 0) return { nullBitmap: undefined, nullCount };
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  }
  return { nullBitmap: bitmap, nullCount };
}

type Fixed = Int16 | Int32 | Float32 | Float64 | DateDay;

function fixed<T extends Fixed>(type: T, Array: new (n: number) => T['TArray'], read: (v: DruidValue) => number): VectorBuilder {
  return {
    type,
    build(values) {
      const data = new Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const v = values[i] ?? null;
        if (v !== null) data[i] = read(v);
      }
      return makeData({ type, length: values.length, ...validity(values), data } as never);
    },
  };
}

function int64Like<T extends Int64 | Timestamp>(type: T, read: (v: DruidValue) => bigint): VectorBuilder {
  return {
    type,
    build(values) {
      const data = new BigInt64Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const v = values[i] ?? null;
        if (v !== null) data[i] = read(v);
      }
      return makeData({ type, length: values.length, ...validity(values), data } as never);
    },
  };
}

/** Utf8 data from strings (null where the string is null): one UTF-8 encoding of them all. */
export function utf8Data(strings: readonly (string | null)[]): Data<Utf8> {
  const offsets = new Int32Array(strings.length + 1);
  let total = 0;
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i];
    if (s !== null && s !== undefined) total += Buffer.byteLength(s, 'utf8');
    offsets[i + 1] = total;
  }
  const data = Buffer.from(strings.filter((s) => s !== null).join(''), 'utf8');
  return makeData({ type: new Utf8(), length: strings.length, ...validity(strings), valueOffsets: offsets, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}

/** PostgreSQL's text output of each value: text, json, numeric (exact digits) and other types. */
export function textBuilder(type: PgType, ctx: OutputContext): VectorBuilder {
  return {
    type: new Utf8(),
    build: (values) => utf8Data(values.map((v) => (v === null || v === undefined ? null : type.toText(v, ctx)))),
  };
}

/** The Arrow builder of a scalar PostgreSQL type (docs/driver.md "Arrow types"). */
export function scalarBuilder(type: PgType, ctx: OutputContext): VectorBuilder {
  const zone = zoneOffsetFn(ctx.timeZone);
  switch (type.oid) {
    case Oid.int8:
      return int64Like(new Int64(), toBigInt);
    case Oid.int4:
      return fixed(new Int32(), Int32Array, (v) => Number(integerText(v)));
    case Oid.int2:
      return fixed(new Int16(), Int16Array, (v) => Number(integerText(v)));
    case Oid.float8:
      return fixed(new Float64(), Float64Array, toFloat);
    case Oid.float4:
      return fixed(new Float32(), Float32Array, toFloat);
    case Oid.date:
      return fixed(new DateDay(), Int32Array, (v) => epochDays(v, zone));
    case Oid.timestamptz:
      return int64Like(new Timestamp(TimeUnit.MILLISECOND, resolveTimeZone(ctx.timeZone)), (v) => BigInt(instantMs(v, zone)));
    case Oid.timestamp:
      return int64Like(new Timestamp(TimeUnit.MILLISECOND), (v) => BigInt(wallMs(v, zone)));
    case Oid.bool:
      return boolBuilder();
    default:
      return textBuilder(type, ctx);
  }
}

function boolBuilder(): VectorBuilder {
  const type = new Bool();
  return {
    type,
    build(values) {
      const data = new Uint8Array((values.length + 7) >> 3);
      values.forEach((v, i) => {
        if (v !== null && v !== undefined && toBool(v)) data[i >> 3] = (data[i >> 3] as number) | (1 << (i & 7));
      });
      return makeData({ type, length: values.length, ...validity(values), data });
    },
  };
}
