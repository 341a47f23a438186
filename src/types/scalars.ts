import type { DruidValue } from '../schema/druid.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { dateBinary, dateText, timestampBinary, timestampText, timestamptzBinary, timestamptzText } from './datetime.js';
import { float4Text, float8Text, toFloat } from './float.js';
import { jsonText, plainText } from './json-text.js';
import { numericBinary, numericText } from './numeric.js';
import { Oid, typlenOf } from './oids.js';
import type { OutputContext, PgType } from './pg-type.js';

/**
 * Scalar PostgreSQL types with their output (typoutput) and send (typsend) functions for
 * Druid JSON values. https://www.postgresql.org/docs/current/datatype.html
 */

const TYPMOD_NONE = -1;
const JSONB_VERSION = 1;

function scalar(
  oid: number,
  name: string,
  toText: (value: DruidValue, ctx: OutputContext) => string,
  toBinary: (value: DruidValue, ctx: OutputContext) => Buffer,
): PgType {
  return { oid, name, typlen: typlenOf(oid), typmod: TYPMOD_NONE, toText, toBinary };
}

/** true/false, 1/0 and 't'/'f'/'true'/'false'/'1'/'0' strings. */
export function toBool(value: DruidValue): boolean {
  if (typeof value === 'string') return /^\s*(t|true|1|y|yes|on)\s*$/i.test(value);
  if (typeof value === 'number' || typeof value === 'bigint') return value !== 0 && value !== 0n;
  return value === true;
}

/** Exact integer digits of a Druid value; fractional numbers round to nearest, ties to even (rint). */
export function integerText(value: DruidValue): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return BigInt(value.trim()).toString();
  if (typeof value === 'boolean') return value ? '1' : '0';
  const n = toFloat(value);
  if (!Number.isFinite(n)) throw new PgError(SqlState.NumericValueOutOfRange, 'bigint out of range');
  const floor = Math.floor(n);
  const diff = n - floor;
  const r = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return Number.isSafeInteger(r) ? String(r) : BigInt(r).toString();
}

function fixedInt(bytes: 2 | 4 | 8, typeName: string): (value: DruidValue) => Buffer {
  const bits = BigInt(bytes * 8);
  return (value) => {
    const n = BigInt(integerText(value));
    if (BigInt.asIntN(Number(bits), n) !== n) throw new PgError(SqlState.NumericValueOutOfRange, `${typeName} out of range`);
    const buf = Buffer.allocUnsafe(bytes);
    if (bytes === 8) buf.writeBigInt64BE(n);
    else if (bytes === 4) buf.writeInt32BE(Number(n));
    else buf.writeInt16BE(Number(n));
    return buf;
  };
}

const utf8 = (text: (value: DruidValue) => string) => (value: DruidValue) => Buffer.from(text(value), 'utf8');

function float8Binary(value: DruidValue): Buffer {
  const buf = Buffer.allocUnsafe(8);
  buf.writeDoubleBE(toFloat(value));
  return buf;
}

function float4Binary(value: DruidValue): Buffer {
  const buf = Buffer.allocUnsafe(4);
  buf.writeFloatBE(toFloat(value));
  return buf;
}

function oidBinary(value: DruidValue): Buffer {
  const buf = Buffer.allocUnsafe(4);
  buf.writeUInt32BE(Number(BigInt.asUintN(32, BigInt(integerText(value)))));
  return buf;
}

/** jsonb_out spacing: ", " between elements and ": " after keys. */
export function jsonbText(value: DruidValue): string {
  if (Array.isArray(value)) return '[' + value.map(jsonbText).join(', ') + ']';
  if (value !== null && typeof value === 'object') {
    return '{' + Object.entries(value).map(([k, v]) => JSON.stringify(k) + ': ' + jsonbText(v)).join(', ') + '}';
  }
  return jsonText(value);
}

function uuidBinary(value: DruidValue): Buffer {
  const hex = plainText(value).replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) {
    throw new PgError(SqlState.InvalidTextRepresentation, `invalid input syntax for type uuid: "${plainText(value)}"`);
  }
  return Buffer.from(hex, 'hex');
}

export const scalarTypes = {
  bool: scalar(Oid.bool, 'bool', (v) => (toBool(v) ? 't' : 'f'), (v) => Buffer.of(toBool(v) ? 1 : 0)),
  int2: scalar(Oid.int2, 'int2', integerText, fixedInt(2, 'smallint')),
  int4: scalar(Oid.int4, 'int4', integerText, fixedInt(4, 'integer')),
  int8: scalar(Oid.int8, 'int8', integerText, fixedInt(8, 'bigint')),
  oid: scalar(Oid.oid, 'oid', (v) => String(BigInt.asUintN(32, BigInt(integerText(v)))), oidBinary),
  float4: scalar(Oid.float4, 'float4', (v, ctx) => float4Text(toFloat(v), ctx.extraFloatDigits), float4Binary),
  float8: scalar(Oid.float8, 'float8', (v, ctx) => float8Text(toFloat(v), ctx.extraFloatDigits), float8Binary),
  numeric: scalar(Oid.numeric, 'numeric', numericText, numericBinary),
  text: scalar(Oid.text, 'text', plainText, utf8(plainText)),
  varchar: scalar(Oid.varchar, 'varchar', plainText, utf8(plainText)),
  bpchar: scalar(Oid.bpchar, 'bpchar', plainText, utf8(plainText)),
  name: scalar(Oid.name, 'name', plainText, utf8(plainText)),
  unknown: scalar(Oid.unknown, 'unknown', plainText, utf8(plainText)),
  json: scalar(Oid.json, 'json', jsonText, utf8(jsonText)),
  jsonb: scalar(Oid.jsonb, 'jsonb', jsonbText, (v) => Buffer.concat([Buffer.of(JSONB_VERSION), Buffer.from(jsonbText(v))])),
  uuid: scalar(Oid.uuid, 'uuid', (v) => plainText(v).toLowerCase(), uuidBinary),
  date: scalar(Oid.date, 'date', (v, ctx) => dateText(v, ctx.timeZone), (v, ctx) => dateBinary(v, ctx.timeZone)),
  timestamp: scalar(
    Oid.timestamp,
    'timestamp',
    (v, ctx) => timestampText(v, ctx.timeZone),
    (v, ctx) => timestampBinary(v, ctx.timeZone),
  ),
  timestamptz: scalar(
    Oid.timestamptz,
    'timestamptz',
    (v, ctx) => timestamptzText(v, ctx.timeZone),
    (v, ctx) => timestamptzBinary(v, ctx.timeZone),
  ),
} as const;
