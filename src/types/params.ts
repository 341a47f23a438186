import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { MS_PER_DAY, PG_EPOCH_DAYS, PG_EPOCH_MS } from './civil.js';
import type { Moment } from './datetime.js';
import { numericTextFromBinary } from './numeric.js';
import { Oid } from './oids.js';
import {
  parseBoolText,
  parseDateTimeText,
  parseFloatText,
  parseIntegerText,
  parseNumericText,
  type INT_RANGES,
} from './text-input.js';
import { parameterTypeName } from './type-names.js';

export { parameterTypeName } from './type-names.js';

/**
 * Bind parameter values decoded from the client's text (format 0) or binary (format 1) form
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BIND).
 */
export type ParamValue =
  | { kind: 'null' }
  /** Text of an unknown/text-like parameter; converted to the Druid slot type later. */
  | { kind: 'text'; value: string }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  /** Canonical decimal text, or 'NaN' / 'Infinity' / '-Infinity'. */
  | { kind: 'numeric'; value: string }
  | { kind: 'bool'; value: boolean }
  /** Days since 1970-01-01. */
  | { kind: 'date'; value: number }
  /** A wall-clock time without zone (ms read as UTC); read in the session zone when bound. */
  | { kind: 'timestamp'; value: Moment }
  /** An instant. */
  | { kind: 'timestamptz'; value: Moment };

const INT_TYPE_NAMES: Readonly<Record<number, keyof typeof INT_RANGES>> = {
  [Oid.int2]: 'smallint',
  [Oid.int4]: 'integer',
  [Oid.int8]: 'bigint',
  [Oid.oid]: 'oid',
};
const BINARY_INT_WIDTH: Readonly<Record<number, number>> = { [Oid.int2]: 2, [Oid.int4]: 4, [Oid.int8]: 8, [Oid.oid]: 4 };
const TEXT_LIKE = new Set<number>([0, Oid.unknown, Oid.text, Oid.varchar, Oid.name, Oid.bpchar, Oid.json]);
const JSONB_VERSION = 1;
const DATE_INFINITY = 0x7fffffff;
const DATE_NEG_INFINITY = -0x80000000;
const TIMESTAMP_INFINITY = 2n ** 63n - 1n;
const TIMESTAMP_NEG_INFINITY = -(2n ** 63n);

function badBinary(paramNumber: number | undefined): PgError {
  const where = paramNumber === undefined ? '' : ` ${paramNumber}`;
  return new PgError(SqlState.InvalidBinaryRepresentation, `incorrect binary data format in bind parameter${where}`);
}

function infinite(oid: number): PgError {
  return new PgError(SqlState.FeatureNotSupported, `infinite ${parameterTypeName(oid)} values are not supported by polaris-pg`);
}

function decodeText(oid: number, text: string): ParamValue {
  const intName = INT_TYPE_NAMES[oid];
  if (intName !== undefined) return { kind: 'int', value: parseIntegerText(text, intName) };
  switch (oid) {
    case Oid.float8:
      return { kind: 'float', value: parseFloatText(text, 'double precision') };
    case Oid.float4:
      return { kind: 'float', value: parseFloatText(text, 'real') };
    case Oid.numeric:
      return { kind: 'numeric', value: parseNumericText(text) };
    case Oid.bool:
      return { kind: 'bool', value: parseBoolText(text) };
    case Oid.date: {
      const { wall } = parseDateTimeText(text, 'date', 'UTC');
      return { kind: 'date', value: Math.floor(wall.ms / MS_PER_DAY) };
    }
    case Oid.timestamp:
      return { kind: 'timestamp', value: parseDateTimeText(text, 'timestamp', 'UTC').wall };
    case Oid.timestamptz: {
      const parsed = parseDateTimeText(text, 'timestamp with time zone', 'UTC');
      return parsed.instant ? { kind: 'timestamptz', value: parsed.instant } : { kind: 'timestamp', value: parsed.wall };
    }
    default:
      return { kind: 'text', value: text };
  }
}

function microsToMoment(micros: bigint): Moment {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  return { ms: Number(ms) + PG_EPOCH_MS, micros: Number(micros - ms * 1000n) };
}

function decodeBinary(oid: number, raw: Buffer, paramNumber: number | undefined): ParamValue {
  const width = BINARY_INT_WIDTH[oid];
  const expect = (length: number): void => {
    if (raw.length !== length) throw badBinary(paramNumber);
  };
  if (width !== undefined) {
    expect(width);
    const value = width === 8 ? raw.readBigInt64BE() : width === 2 ? BigInt(raw.readInt16BE()) : oid === Oid.oid ? BigInt(raw.readUInt32BE()) : BigInt(raw.readInt32BE());
    return { kind: 'int', value };
  }
  if (TEXT_LIKE.has(oid)) return { kind: 'text', value: raw.toString('utf8') };
  switch (oid) {
    case Oid.float8:
      expect(8);
      return { kind: 'float', value: raw.readDoubleBE() };
    case Oid.float4:
      expect(4);
      return { kind: 'float', value: raw.readFloatBE() };
    case Oid.bool:
      expect(1);
      return { kind: 'bool', value: raw[0] !== 0 };
    case Oid.numeric:
      return { kind: 'numeric', value: numericTextFromBinary(raw) };
    case Oid.jsonb:
      if (raw[0] !== JSONB_VERSION) throw badBinary(paramNumber);
      return { kind: 'text', value: raw.subarray(1).toString('utf8') };
    case Oid.uuid: {
      expect(16);
      const hex = raw.toString('hex');
      return { kind: 'text', value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` };
    }
    case Oid.date: {
      expect(4);
      const days = raw.readInt32BE();
      if (days === DATE_INFINITY || days === DATE_NEG_INFINITY) throw infinite(oid);
      return { kind: 'date', value: days + PG_EPOCH_DAYS };
    }
    case Oid.timestamp:
    case Oid.timestamptz: {
      expect(8);
      const micros = raw.readBigInt64BE();
      if (micros === TIMESTAMP_INFINITY || micros === TIMESTAMP_NEG_INFINITY) throw infinite(oid);
      return { kind: oid === Oid.timestamp ? 'timestamp' : 'timestamptz', value: microsToMoment(micros) };
    }
    default:
      throw new PgError(
        SqlState.FeatureNotSupported,
        `binary format for parameters of type ${parameterTypeName(oid)} is not supported by polaris-pg`,
        { hint: 'Send this parameter in text format.' },
      );
  }
}

/**
 * Decodes one Bind parameter. raw null (length -1) is SQL NULL. Text input follows the
 * type's input function; zone-less timestamptz text stays a wall-clock and is read in the
 * session zone by toDruidParameter. paramNumber (1-based) only improves error messages.
 */
export function decodeParameter(oid: number, format: 0 | 1, raw: Buffer | null, paramNumber?: number): ParamValue {
  if (raw === null) return { kind: 'null' };
  return format === 1 ? decodeBinary(oid, raw, paramNumber) : decodeText(oid, raw.toString('utf8'));
}
