import type { DruidValue } from '../schema/druid.js';
import { arrayElements } from '../types/array.js';
import { MS_PER_DAY } from '../types/civil.js';
import { druidInstant, druidWallClock } from '../types/datetime.js';
import { toFloat } from '../types/float.js';
import { numericText } from '../types/numeric.js';
import { Oid } from '../types/oids.js';
import { integerText, toBool } from '../types/scalars.js';
import { zoneOffsetFn, type ZoneOffset } from '../types/timezone.js';
import type { PgType, OutputContext } from '../types/pg-type.js';

/**
 * The JavaScript value of a result value, by PostgreSQL type (docs/driver.md "Values"): int8 as
 * bigint, int2/int4 and floats as number, numeric as its exact decimal text, bool as boolean,
 * timestamptz as a Date (the instant), timestamp as a Date whose UTC fields are the wall clock,
 * date as a Date at UTC midnight of the day, arrays as arrays of their elements, text and json as
 * PostgreSQL prints them.
 */
export type JsValue = null | boolean | number | bigint | string | Date | JsValue[];

/** Converts one non-null Druid value. */
export type ValueReader = (value: DruidValue) => JsValue;

/** The element type of each array type the gateway reports (src/types/druid-to-pg.ts). */
export const ARRAY_ELEMENT: Readonly<Record<number, number>> = {
  [Oid.boolArray]: Oid.bool,
  [Oid.int2Array]: Oid.int2,
  [Oid.int4Array]: Oid.int4,
  [Oid.int8Array]: Oid.int8,
  [Oid.textArray]: Oid.text,
  [Oid.varcharArray]: Oid.varchar,
  [Oid.float4Array]: Oid.float4,
  [Oid.float8Array]: Oid.float8,
  [Oid.numericArray]: Oid.numeric,
  [Oid.timestampArray]: Oid.timestamp,
  [Oid.timestamptzArray]: Oid.timestamptz,
  [Oid.dateArray]: Oid.date,
  [Oid.jsonArray]: Oid.json,
};

/** An int8 value exactly: Druid sends integers past 2^53 as bigint (src/backend/lossless-json.ts). */
export function toBigInt(value: DruidValue): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return BigInt(integerText(value));
}

/**
 * Druid's usual timestamp form, ISO 8601 in UTC with milliseconds: ECMAScript's Date Time String
 * Format, which Date.parse reads exactly (https://tc39.es/ecma262/#sec-date-time-string-format).
 */
const UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Epoch milliseconds of the instant a timestamptz value denotes. */
export function instantMs(value: DruidValue, zone: ZoneOffset): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && UTC_MILLIS.test(value)) return Date.parse(value);
  return druidInstant(value, zone).ms;
}

/** The wall clock of a timestamp value (or the day of a date), as milliseconds read as UTC. */
export function wallMs(value: DruidValue, zone: ZoneOffset): number {
  return druidWallClock(value, zone).ms;
}

/** Days since 1970-01-01 of a date value, in the session zone as PostgreSQL's date output. */
export function epochDays(value: DruidValue, zone: ZoneOffset): number {
  return Math.floor(wallMs(value, zone) / MS_PER_DAY);
}

function scalarReader(oid: number, type: PgType | undefined, ctx: OutputContext, zone: ZoneOffset): ValueReader {
  switch (oid) {
    case Oid.int8:
      return toBigInt;
    case Oid.int2:
    case Oid.int4:
      return (v) => Number(integerText(v));
    case Oid.float4:
    case Oid.float8:
      return toFloat;
    case Oid.numeric:
      // The type's own text: a fixed display scale, or an exact average sent as `sum/count`.
      return type === undefined ? numericText : (v) => type.toText(v, ctx);
    case Oid.bool:
      return toBool;
    case Oid.timestamptz:
      return (v) => new Date(instantMs(v, zone));
    case Oid.timestamp:
      return (v) => new Date(wallMs(v, zone));
    case Oid.date:
      return (v) => new Date(epochDays(v, zone) * MS_PER_DAY);
    default:
      return type === undefined ? (v) => String(v) : (v) => type.toText(v, ctx);
  }
}

/** The reader for a column of `type`; array elements are read with their element type's reader. */
export function readerFor(type: PgType, ctx: OutputContext, scalarOf: (oid: number) => PgType | undefined): ValueReader {
  const zone = zoneOffsetFn(ctx.timeZone);
  const element = ARRAY_ELEMENT[type.oid];
  if (element === undefined) return scalarReader(type.oid, type, ctx, zone);
  const read = scalarReader(element, scalarOf(element), ctx, zone);
  const items = (value: DruidValue): JsValue[] => arrayElements(value).map((item) => (item === null ? null : Array.isArray(item) ? items(item) : read(item)));
  return items;
}
