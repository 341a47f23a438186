import { arrayType } from './array.js';
import { Oid } from './oids.js';
import type { PgType } from './pg-type.js';
import { scalarTypes as S } from './scalars.js';

/**
 * Druid result column -> PostgreSQL type for RowDescription (docs/druid-api.md "Reporting Druid
 * columns as PostgreSQL types"). Types not listed (sketches, other COMPLEX<...>) are text holding JSON.
 */

export interface PgTypeOptions {
  /** How Druid TIMESTAMP is reported: timestamptz (default) or timestamp. */
  timestampType?: 'timestamptz' | 'timestamp';
}

const A = {
  bool: arrayType(Oid.boolArray, S.bool),
  int2: arrayType(Oid.int2Array, S.int2),
  int4: arrayType(Oid.int4Array, S.int4),
  int8: arrayType(Oid.int8Array, S.int8),
  text: arrayType(Oid.textArray, S.text),
  varchar: arrayType(Oid.varcharArray, S.varchar),
  float4: arrayType(Oid.float4Array, S.float4),
  float8: arrayType(Oid.float8Array, S.float8),
  numeric: arrayType(Oid.numericArray, S.numeric),
  timestamp: arrayType(Oid.timestampArray, S.timestamp),
  timestamptz: arrayType(Oid.timestamptzArray, S.timestamptz),
  date: arrayType(Oid.dateArray, S.date),
  json: arrayType(Oid.jsonArray, S.json),
} as const;

const BY_SQL_TYPE: Readonly<Record<string, PgType>> = {
  DATE: S.date,
  BIGINT: S.int8,
  INTEGER: S.int4,
  SMALLINT: S.int2,
  TINYINT: S.int2,
  DOUBLE: S.float8,
  FLOAT: S.float4,
  REAL: S.float4,
  DECIMAL: S.numeric,
  BOOLEAN: S.bool,
  VARCHAR: S.text,
  CHAR: S.text,
};

const BY_NATIVE_ARRAY: Readonly<Record<string, PgType>> = {
  'ARRAY<LONG>': A.int8,
  'ARRAY<DOUBLE>': A.float8,
  'ARRAY<FLOAT>': A.float4,
  'ARRAY<STRING>': A.text,
};

export function pgTypeFor(column: { sqlType: string; nativeType: string | null }, options: PgTypeOptions = {}): PgType {
  const sqlType = column.sqlType.toUpperCase();
  if (sqlType === 'TIMESTAMP') return options.timestampType === 'timestamp' ? S.timestamp : S.timestamptz;
  const direct = BY_SQL_TYPE[sqlType];
  if (direct) return direct;
  const native = column.nativeType?.toUpperCase() ?? null;
  if (sqlType === 'ARRAY') return (native === null ? undefined : BY_NATIVE_ARRAY[native]) ?? A.text;
  if (sqlType === 'OTHER' && native === 'COMPLEX<JSON>') return S.json;
  return S.text;
}

const BY_OID = new Map<number, PgType>([...Object.values(S), ...Object.values(A)].map((t) => [t.oid, t]));

/** The gateway's PgType for a type OID it supports (scalars and their arrays), else undefined. */
export function pgTypeByOid(oid: number): PgType | undefined {
  return BY_OID.get(oid);
}
