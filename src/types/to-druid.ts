import type { DruidParameter } from '../schema/druid.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { MS_PER_DAY } from './civil.js';
import { offsetText, wallText } from './datetime.js';
import { float8Text } from './float.js';
import type { ParamValue } from './params.js';
import {
  dayText,
  parseBoolText,
  parseDateTimeText,
  parseFloatText,
  parseIntegerText,
  parseNumericText,
} from './text-input.js';
import { wallToInstant, zoneOffsetFn } from './timezone.js';

/** What binding needs of a parameter slot: its Druid type and whether it takes epoch milliseconds. */
export interface BindSlot {
  druidType: Parameters<typeof toDruidParameter>[1];
  epochMillis?: boolean;
}

/**
 * Druid `parameters` entries (docs/druid-api.md "Request body") for the Avatica type the translator
 * inferred for a `?`. Values are converted as PostgreSQL would coerce them to that type.
 *
 * TIMESTAMP parameters are sent as the ISO-8601 wall-clock 'YYYY-MM-DDTHH:MM:SS.sss' in the
 * session TimeZone (which the gateway also sends as sqlTimeZone). Observed on Druid (2026-11-26,
 * sqlTimeZone America/New_York): Druid parses the string or epoch millis to a UTC-based
 * value and then reads that as a wall-clock in sqlTimeZone, so '2026-01-05T03:04:05.120Z',
 * '2026-01-05T03:04:05.120' and 1767582245120 all bind 2026-01-05 03:04:05.120-05:00, and an
 * explicit offset is ignored after conversion to UTC. Druid 33 rejects the SQL form
 * '2026-01-05 03:04:05.120' in a filter with HTTP 500 (ClassCastException in Avatica). Zone-less input keeps its wall-clock;
 * input naming a zone (timestamptz) is first moved to the session zone. DATE parameters are
 * sent as 'YYYY-MM-DD' (observed to bind midnight in sqlTimeZone). Pinned by
 * test/unit/types/params.test.ts "binds timestamps as session wall-clock".
 * Druid rejects non-finite doubles ("NaN" as a string fails with HTTP 500), so they raise 0A000.
 */

export interface ParameterOptions {
  /** Session TimeZone, used for zone-less timestamps and date <-> timestamp conversion. */
  timeZone?: string;
}

const INT_TYPES: Readonly<Record<string, 'bigint' | 'integer' | 'smallint'>> = {
  BIGINT: 'bigint',
  INTEGER: 'integer',
  SMALLINT: 'smallint',
  TINYINT: 'smallint',
};
const FLOAT_TYPES: Readonly<Record<string, 'double precision' | 'real'>> = {
  DOUBLE: 'double precision',
  FLOAT: 'real',
  REAL: 'real',
};
const NATURAL_TYPE: Readonly<Record<ParamValue['kind'], string>> = {
  null: 'VARCHAR',
  text: 'VARCHAR',
  int: 'BIGINT',
  float: 'DOUBLE',
  numeric: 'DECIMAL',
  bool: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  timestamptz: 'TIMESTAMP',
};
const KIND_NAMES: Readonly<Record<ParamValue['kind'], string>> = {
  null: 'unknown',
  text: 'text',
  int: 'bigint',
  float: 'double precision',
  numeric: 'numeric',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
};

function cannotCast(value: ParamValue, target: string): PgError {
  return new PgError(SqlState.DatatypeMismatch, `cannot cast type ${KIND_NAMES[value.kind]} to ${target}`);
}

function intValue(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

function floatValue(n: number): number {
  if (!Number.isFinite(n)) {
    throw new PgError(SqlState.FeatureNotSupported, `parameter value ${float8Text(n, 1)} is not supported by Druid`, {
      hint: 'Druid parameters must be finite numbers.',
    });
  }
  return n;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** 'YYYY-MM-DDTHH:MM:SS.sss' of a wall-clock (ms read as UTC), the form Druid's TIMESTAMP parameters accept. */
function druidWallText(wallMs: number): string {
  const days = Math.floor(wallMs / MS_PER_DAY);
  const msOfDay = wallMs - days * MS_PER_DAY;
  const seconds = Math.floor(msOfDay / 1000);
  const clock = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  return `${dayText(days)}T${clock}.${pad(msOfDay % 1000, 3)}`;
}

/** The wall-clock in the session zone that a timestamp-like value denotes. */
function toSessionWall(value: ParamValue, zoneName: string): number {
  const atZone = (instantMs: number): number => instantMs + zoneOffsetFn(zoneName)(instantMs) * 1000;
  switch (value.kind) {
    case 'timestamptz':
      return atZone(value.value.ms);
    case 'timestamp':
      return value.value.ms;
    case 'date':
      return value.value * MS_PER_DAY;
    case 'text': {
      const parsed = parseDateTimeText(value.value, 'timestamp with time zone', zoneName);
      return parsed.instant ? atZone(parsed.instant.ms) : parsed.wall.ms;
    }
    default:
      throw cannotCast(value, 'timestamp with time zone');
  }
}

/** The instant a value denotes as a timestamptz: a wall clock is read in the session zone (wallToInstant). */
function toInstant(value: ParamValue, zoneName: string): number {
  const zone = zoneOffsetFn(zoneName);
  switch (value.kind) {
    case 'timestamptz':
      return value.value.ms;
    case 'text': {
      const parsed = parseDateTimeText(value.value, 'timestamp with time zone', zoneName);
      return parsed.instant ? parsed.instant.ms : wallToInstant(parsed.wall.ms, zone);
    }
    default:
      return wallToInstant(toSessionWall(value, zoneName), zone);
  }
}

/**
 * The Druid parameter for a `?` of the translation. A timestamp the translator compares as epoch
 * milliseconds (`epochMillis`, from the translator's ParameterSlot) is bound as the instant, a BIGINT, so that no wall
 * clock of a repeated DST hour reaches Druid.
 */
export function slotParameter(value: ParamValue | null, slot: BindSlot, options: ParameterOptions = {}): DruidParameter {
  if (slot.epochMillis !== true) return toDruidParameter(value, slot.druidType, options);
  if (value === null || value.kind === 'null') return { type: 'BIGINT', value: null };
  return { type: 'BIGINT', value: toInstant(value, options.timeZone ?? 'UTC') };
}

function toDays(value: ParamValue, zoneName: string): number {
  switch (value.kind) {
    case 'date':
      return value.value;
    case 'timestamp':
      return Math.floor(value.value.ms / MS_PER_DAY);
    case 'timestamptz':
      return Math.floor((value.value.ms + zoneOffsetFn(zoneName)(value.value.ms) * 1000) / MS_PER_DAY);
    case 'text': {
      const parsed = parseDateTimeText(value.value, 'date', zoneName);
      return toDays(parsed.instant ? { kind: 'timestamptz', value: parsed.instant } : { kind: 'timestamp', value: parsed.wall }, zoneName);
    }
    default:
      throw cannotCast(value, 'date');
  }
}

function toText(value: ParamValue, zoneName: string): string {
  switch (value.kind) {
    case 'text':
    case 'numeric':
      return value.value;
    case 'int':
      return value.value.toString();
    case 'float':
      return float8Text(value.value, 1);
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'date':
      return dayText(value.value);
    case 'timestamp':
      return wallText(value.value);
    case 'timestamptz': {
      const offset = zoneOffsetFn(zoneName)(value.value.ms);
      return wallText({ ms: value.value.ms + offset * 1000, micros: value.value.micros }, offsetText(offset));
    }
    case 'null':
      return '';
  }
}

function toInteger(value: ParamValue, druidType: string, typeName: 'bigint' | 'integer' | 'smallint'): DruidParameter {
  switch (value.kind) {
    case 'int':
      return { type: druidType, value: intValue(value.value) };
    case 'text':
      return { type: druidType, value: intValue(parseIntegerText(value.value, typeName)) };
    case 'bool':
      return { type: druidType, value: value.value ? 1 : 0 };
    case 'float':
      return Number.isInteger(value.value) ? { type: druidType, value: value.value } : { type: 'DOUBLE', value: floatValue(value.value) };
    case 'numeric':
      return /^-?\d+$/.test(value.value)
        ? { type: druidType, value: intValue(BigInt(value.value)) }
        : { type: 'DOUBLE', value: floatValue(Number(value.value)) };
    default:
      throw cannotCast(value, typeName);
  }
}

function toFloat(value: ParamValue, typeName: 'double precision' | 'real' | 'numeric'): number {
  switch (value.kind) {
    case 'float':
      return floatValue(value.value);
    case 'int':
      return Number(value.value);
    case 'numeric':
      return floatValue(Number(value.value));
    case 'text':
      return floatValue(typeName === 'numeric' ? Number(parseNumericText(value.value)) : parseFloatText(value.value, typeName));
    default:
      throw cannotCast(value, typeName);
  }
}

function toBool(value: ParamValue): boolean {
  switch (value.kind) {
    case 'bool':
      return value.value;
    case 'int':
      return value.value !== 0n;
    case 'text':
      return parseBoolText(value.value);
    default:
      throw cannotCast(value, 'boolean');
  }
}

/** The Druid parameter for a decoded value bound to a `?` of the given Avatica type. */
export function toDruidParameter(value: ParamValue | null, druidType: string, options: ParameterOptions = {}): DruidParameter {
  const type = druidType.toUpperCase();
  const zone = options.timeZone ?? 'UTC';
  if (value === null || value.kind === 'null') return { type, value: null };
  const intName = INT_TYPES[type];
  if (intName !== undefined) return toInteger(value, type, intName);
  const floatName = FLOAT_TYPES[type];
  if (floatName !== undefined) return { type, value: toFloat(value, floatName) };
  switch (type) {
    case 'DECIMAL':
      return { type, value: toFloat(value, 'numeric') };
    case 'BOOLEAN':
      return { type, value: toBool(value) };
    case 'TIMESTAMP':
      return { type, value: druidWallText(toSessionWall(value, zone)) };
    case 'DATE':
      return { type, value: dayText(toDays(value, zone)) };
    case 'VARCHAR':
    case 'CHAR':
      return { type, value: toText(value, zone) };
    default:
      return toDruidParameter(value, NATURAL_TYPE[value.kind], options);
  }
}
