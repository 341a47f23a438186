import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { ParamValue } from './params.js';
import { parseDateTimeText, parseFloatText, parseIntegerText, parseNumericText, INT_RANGES } from './text-input.js';
import { resolveTimeZone, wallToInstant } from './timezone.js';
import { MS_PER_DAY } from './civil.js';
import { druidInstant, druidWallClock } from './datetime.js';
import { Oid } from './oids.js';
import type { DruidValue } from '../schema/druid.js';

/**
 * A value stored into a Druid column by INSERT or COPY, checked with PostgreSQL's assignment rules
 * (the target type's input function for text; assignment casts for numbers) and written as the
 * JSON literal of one NDJSON ingestion row (docs/writes.md).
 */

/** The Druid type of a target column, `time` for __time. */
export type WriteColumnKind = 'string' | 'long' | 'double' | 'float' | 'time';

export interface WriteTarget {
  name: string;
  kind: WriteColumnKind;
  /** The PostgreSQL type the catalog shows the column as: 'bigint', 'timestamp with time zone', ... */
  pgType: string;
}

/** The PostgreSQL type name of a value's own type, for 42804. */
function valueTypeName(value: ParamValue): string {
  switch (value.kind) {
    case 'int':
      return value.value >= INT_RANGES.integer![0] && value.value <= INT_RANGES.integer![1] ? 'integer' : 'bigint';
    case 'float':
      return 'double precision';
    case 'numeric':
      return 'numeric';
    case 'bool':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamp without time zone';
    case 'timestamptz':
      return 'timestamp with time zone';
    default:
      return 'text';
  }
}

function mismatch(target: WriteTarget, value: ParamValue): PgError {
  return new PgError(SqlState.DatatypeMismatch, `column "${target.name}" is of type ${target.pgType} but expression is of type ${valueTypeName(value)}`, {
    hint: 'You will need to rewrite or cast the expression.',
  });
}

const BIGINT_OUT_OF_RANGE = 'bigint out of range';

function checkBigint(n: bigint): bigint {
  const [min, max] = INT_RANGES.bigint!;
  if (n < min || n > max) throw new PgError(SqlState.NumericValueOutOfRange, BIGINT_OUT_OF_RANGE);
  return n;
}

/** numeric -> bigint: rounds half away from zero (numeric_int8). */
function roundNumeric(text: string): bigint {
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new PgError(SqlState.FeatureNotSupported, `cannot convert ${text} to bigint`);
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  let n = BigInt(whole);
  if ((fraction[0] ?? '0') >= '5') n += 1n;
  return checkBigint(negative ? -n : n);
}

/** float8 -> bigint: rint (half to even), then the range check (dtoi8). */
function roundFloat(x: number): bigint {
  if (!Number.isFinite(x)) throw new PgError(SqlState.NumericValueOutOfRange, BIGINT_OUT_OF_RANGE);
  const floor = Math.floor(x);
  const diff = x - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return checkBigint(BigInt(rounded));
}

/** A double for a JSON row: NaN and the infinities have no JSON form. */
function finite(x: number, target: WriteTarget): string {
  if (!Number.isFinite(x)) {
    throw new PgError(SqlState.FeatureNotSupported, `${String(x)} cannot be stored in Druid column "${target.name}"`, {
      hint: 'Druid ingests JSON numbers; NaN and Infinity have no JSON form.',
    });
  }
  return JSON.stringify(x);
}

function toLong(value: ParamValue, target: WriteTarget): bigint {
  switch (value.kind) {
    case 'int':
      return checkBigint(value.value);
    case 'numeric':
      return roundNumeric(value.value);
    case 'float':
      return roundFloat(value.value);
    case 'text':
      return parseIntegerText(value.value, 'bigint');
    default:
      throw mismatch(target, value);
  }
}

function toDouble(value: ParamValue, target: WriteTarget): number {
  switch (value.kind) {
    case 'int':
      return Number(value.value);
    case 'numeric':
      return Number(value.value);
    case 'float':
      return value.value;
    case 'text':
      return parseFloatText(value.value, target.kind === 'float' ? 'real' : 'double precision');
    default:
      throw mismatch(target, value);
  }
}

function toText(value: ParamValue, target: WriteTarget): string {
  switch (value.kind) {
    case 'text':
      return value.value;
    case 'int':
      return value.value.toString();
    case 'numeric':
      return parseNumericText(value.value);
    case 'bool':
      return value.value ? 'true' : 'false';
    default:
      throw new PgError(SqlState.FeatureNotSupported, `storing a ${valueTypeName(value)} value in text column "${target.name}" is not supported by polaris-pg`, {
        hint: 'Cast the value to text in the form you want stored.',
      });
  }
}

/** Epoch milliseconds of a time value; sub-millisecond precision is refused (Druid keeps milliseconds). */
function toMillis(value: ParamValue, target: WriteTarget, timeZone: string): number {
  const zone = resolveTimeZone(timeZone) ?? (() => 0);
  let ms: number;
  let micros: number;
  switch (value.kind) {
    case 'text': {
      const parsed = parseDateTimeText(value.value, target.pgType, timeZone);
      const instant = parsed.instant ?? { ms: wallToInstant(parsed.wall.ms, zone), micros: parsed.wall.micros };
      ms = instant.ms;
      micros = instant.micros;
      break;
    }
    case 'timestamptz':
      ({ ms, micros } = value.value);
      break;
    case 'timestamp':
      ms = wallToInstant(value.value.ms, zone);
      micros = value.value.micros;
      break;
    case 'date':
      ms = wallToInstant(value.value * MS_PER_DAY, zone);
      micros = 0;
      break;
    default:
      throw mismatch(target, value);
  }
  if (micros !== 0) {
    throw new PgError(SqlState.FeatureNotSupported, `a "${target.name}" value with microseconds is not supported by polaris-pg`, {
      hint: 'Druid stores __time in milliseconds: round the value to milliseconds.',
    });
  }
  return ms;
}

/** The JSON literal of a value stored in the column, or null for SQL NULL (23502 for __time). */
export function writeValueJson(value: ParamValue, target: WriteTarget, timeZone: string, table: string): string | null {
  if (value.kind === 'null') {
    if (target.kind !== 'time') return null;
    throw new PgError(SqlState.NotNullViolation, `null value in column "${target.name}" of relation "${table}" violates not-null constraint`, {
      table,
      column: target.name,
    });
  }
  switch (target.kind) {
    case 'string':
      return JSON.stringify(toText(value, target));
    case 'long':
      return toLong(value, target).toString();
    case 'double':
      return finite(toDouble(value, target), target);
    case 'float':
      return finite(Math.fround(toDouble(value, target)), target);
    case 'time':
      return String(toMillis(value, target, timeZone));
  }
}

/**
 * The ParamValue of one value of a query's result column (INSERT ... SELECT), by the column's
 * PostgreSQL type: integers and floats as numbers, text as text, timestamps as instants or
 * wall-clocks. null for a column type a write cannot read.
 */
export function resultValue(oid: number, value: DruidValue, timeZone: string): ParamValue | null {
  if (value === null) return { kind: 'null' };
  const zone = resolveTimeZone(timeZone) ?? (() => 0);
  switch (oid) {
    case Oid.int2:
    case Oid.int4:
    case Oid.int8:
      return typeof value === 'number' || typeof value === 'bigint' ? { kind: 'int', value: BigInt(value) } : null;
    case Oid.float4:
    case Oid.float8:
    case Oid.numeric:
      return typeof value === 'number' ? { kind: 'float', value } : typeof value === 'bigint' ? { kind: 'float', value: Number(value) } : null;
    case Oid.text:
    case Oid.varchar:
      return typeof value === 'string' ? { kind: 'text', value } : null;
    case Oid.bool:
      return { kind: 'bool', value: value === true || value === 1 };
    case Oid.timestamptz:
      return { kind: 'timestamptz', value: druidInstant(value, zone) };
    case Oid.timestamp:
      return { kind: 'timestamp', value: druidWallClock(value, zone) };
    case Oid.date:
      return { kind: 'date', value: Math.floor(druidWallClock(value, zone).ms / MS_PER_DAY) };
    default:
      return null;
  }
}

/** 42804 when a query column of type `sourceType` cannot be assigned to the target (text to a number or time). */
export function checkAssignable(sourceOid: number, sourceType: string, target: WriteTarget): void {
  const textual = sourceOid === Oid.text || sourceOid === Oid.varchar;
  if (textual && target.kind !== 'string') {
    throw new PgError(SqlState.DatatypeMismatch, `column "${target.name}" is of type ${target.pgType} but expression is of type ${sourceType}`, {
      hint: 'You will need to rewrite or cast the expression.',
    });
  }
}
