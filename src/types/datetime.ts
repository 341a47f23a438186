import type { DruidValue } from '../schema/druid.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { MS_PER_DAY, PG_EPOCH_DAYS, PG_EPOCH_MS, civilFromDays, wallToMs } from './civil.js';
import { wallToInstant, zoneOffsetFn, type ZoneOffset } from './timezone.js';

/**
 * Druid TIMESTAMP/DATE values (ISO-8601 strings in the request's sqlTimeZone, or epoch millis)
 * printed and sent the way PostgreSQL's timestamptz_out, timestamp_out and date_out print them
 * with DateStyle ISO (https://www.postgresql.org/docs/current/datatype-datetime.html#DATATYPE-DATETIME-OUTPUT).
 */

/** A point in time: whole milliseconds plus 0-999 microseconds. */
export interface Moment {
  ms: number;
  micros: number;
}

/** A Druid timestamp: its wall-clock (read as UTC) and the offset written with it, if any. */
interface DruidTimestamp extends Moment {
  offsetSeconds: number | null;
}

const ISO_TIMESTAMP =
  /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/;

function badTimestamp(value: DruidValue): PgError {
  return new PgError(SqlState.InvalidDatetimeFormat, `invalid timestamp value from Druid: ${String(value)}`);
}

/** Seconds east of UTC from 'Z', '+05', '+0530', '-05:30', '+05:53:28'. */
export function parseOffset(text: string): number {
  if (text === 'Z' || text === 'z') return 0;
  const digits = text.slice(1).replace(/:/g, '');
  const seconds =
    Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60 + Number(digits.slice(4, 6) || 0);
  return text.startsWith('-') ? -seconds : seconds;
}

/** Microseconds 0-999 beyond the millisecond, and the milliseconds, of a fraction's digits. */
function fractionParts(fraction: string | undefined): [number, number] {
  if (fraction === undefined) return [0, 0];
  const six = (fraction + '000000').slice(0, 6);
  return [Number(six.slice(0, 3)), Number(six.slice(3))];
}

function parseDruidTimestamp(value: DruidValue): DruidTimestamp | Moment {
  if (typeof value === 'number' || typeof value === 'bigint') {
    return { ms: Number(value), micros: 0 };
  }
  if (typeof value !== 'string') throw badTimestamp(value);
  const m = ISO_TIMESTAMP.exec(value);
  if (!m) {
    if (/^-?\d+$/.test(value)) return { ms: Number(value), micros: 0 };
    throw badTimestamp(value);
  }
  const [ms, micros] = fractionParts(m[7]);
  const wall = wallToMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  return { ms: wall, micros, offsetSeconds: m[8] === undefined ? null : parseOffset(m[8]) };
}

/** The instant a Druid value denotes; a string without offset is read in the given zone. */
export function druidInstant(value: DruidValue, zone: ZoneOffset): Moment {
  const t = parseDruidTimestamp(value);
  if (!('offsetSeconds' in t)) return t;
  const ms = t.offsetSeconds === null ? wallToInstant(t.ms, zone) : t.ms - t.offsetSeconds * 1000;
  return { ms, micros: t.micros };
}

/** The wall-clock a Druid value shows: as written for strings, in the zone for epoch millis. */
export function druidWallClock(value: DruidValue, zone: ZoneOffset): Moment {
  const t = parseDruidTimestamp(value);
  if ('offsetSeconds' in t) return { ms: t.ms, micros: t.micros };
  return { ms: t.ms + zone(t.ms) * 1000, micros: t.micros };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** 'YYYY-MM-DD' of a day number, and the ' BC' suffix PostgreSQL appends for years <= 0. */
export function dateParts(days: number): [string, string] {
  const { year, month, day } = civilFromDays(days);
  const bc = year <= 0;
  return [`${pad(bc ? 1 - year : year, 4)}-${pad(month, 2)}-${pad(day, 2)}`, bc ? ' BC' : ''];
}

function clockText(msOfDay: number, micros: number): string {
  const seconds = Math.floor(msOfDay / 1000);
  const fraction = (msOfDay % 1000) * 1000 + micros;
  const base = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  return fraction === 0 ? base : base + '.' + pad(fraction, 6).replace(/0+$/, '');
}

/** PostgreSQL's zone suffix: +HH, +HH:MM or +HH:MM:SS. */
export function offsetText(offsetSeconds: number): string {
  const abs = Math.abs(offsetSeconds);
  const h = Math.floor(abs / 3600);
  const m = Math.floor(abs / 60) % 60;
  const s = abs % 60;
  let text = (offsetSeconds < 0 ? '-' : '+') + pad(h, 2);
  if (m !== 0 || s !== 0) text += ':' + pad(m, 2);
  if (s !== 0) text += ':' + pad(s, 2);
  return text;
}

/** 'YYYY-MM-DD HH:MM:SS[.ffffff][ BC]' of a wall-clock moment. */
export function wallText(t: Moment, zoneSuffix = ''): string {
  const days = Math.floor(t.ms / MS_PER_DAY);
  const [date, era] = dateParts(days);
  return `${date} ${clockText(t.ms - days * MS_PER_DAY, t.micros)}${zoneSuffix}${era}`;
}

export function timestamptzText(value: DruidValue, timeZone: string): string {
  const zone = zoneOffsetFn(timeZone);
  const instant = druidInstant(value, zone);
  const offset = zone(instant.ms);
  return wallText({ ms: instant.ms + offset * 1000, micros: instant.micros }, offsetText(offset));
}

export function timestampText(value: DruidValue, timeZone: string): string {
  return wallText(druidWallClock(value, zoneOffsetFn(timeZone)));
}

export function dateText(value: DruidValue, timeZone: string): string {
  const days = Math.floor(druidWallClock(value, zoneOffsetFn(timeZone)).ms / MS_PER_DAY);
  const [date, era] = dateParts(days);
  return date + era;
}

/** Microseconds since 2000-01-01 00:00:00 of a moment (timestamp_send / timestamptz_send). */
export function pgMicros(t: Moment): bigint {
  return BigInt(t.ms - PG_EPOCH_MS) * 1000n + BigInt(t.micros);
}

function int64Buffer(n: bigint): Buffer {
  const buf = Buffer.allocUnsafe(8);
  buf.writeBigInt64BE(n);
  return buf;
}

export function timestamptzBinary(value: DruidValue, timeZone: string): Buffer {
  return int64Buffer(pgMicros(druidInstant(value, zoneOffsetFn(timeZone))));
}

export function timestampBinary(value: DruidValue, timeZone: string): Buffer {
  return int64Buffer(pgMicros(druidWallClock(value, zoneOffsetFn(timeZone))));
}

/** date_send: int32 days since 2000-01-01. */
export function dateBinary(value: DruidValue, timeZone: string): Buffer {
  const days = Math.floor(druidWallClock(value, zoneOffsetFn(timeZone)).ms / MS_PER_DAY);
  const buf = Buffer.allocUnsafe(4);
  buf.writeInt32BE(days - PG_EPOCH_DAYS);
  return buf;
}
