/**
 * PostgreSQL type OIDs and their pg_type.typlen, as in src/include/catalog/pg_type.dat.
 * https://www.postgresql.org/docs/current/catalog-pg-type.html
 */
export const Oid = {
  bool: 16,
  bytea: 17,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  unknown: 705,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
  boolArray: 1000,
  int2Array: 1005,
  int4Array: 1007,
  textArray: 1009,
  varcharArray: 1015,
  int8Array: 1016,
  float4Array: 1021,
  float8Array: 1022,
  timestampArray: 1115,
  dateArray: 1182,
  timestamptzArray: 1185,
  numericArray: 1231,
  jsonArray: 199,
} as const;

export type OidName = keyof typeof Oid;

/** pg_type.typlen: -1 is variable length (varlena), -2 a C string, else the fixed byte width. */
export const TYPLEN: Readonly<Record<number, number>> = {
  [Oid.bool]: 1,
  [Oid.bytea]: -1,
  [Oid.name]: 64,
  [Oid.int8]: 8,
  [Oid.int2]: 2,
  [Oid.int4]: 4,
  [Oid.text]: -1,
  [Oid.oid]: 4,
  [Oid.json]: -1,
  [Oid.float4]: 4,
  [Oid.float8]: 8,
  [Oid.unknown]: -2,
  [Oid.bpchar]: -1,
  [Oid.varchar]: -1,
  [Oid.date]: 4,
  [Oid.time]: 8,
  [Oid.timestamp]: 8,
  [Oid.timestamptz]: 8,
  [Oid.interval]: 16,
  [Oid.numeric]: -1,
  [Oid.uuid]: 16,
  [Oid.jsonb]: -1,
  [Oid.boolArray]: -1,
  [Oid.int2Array]: -1,
  [Oid.int4Array]: -1,
  [Oid.textArray]: -1,
  [Oid.varcharArray]: -1,
  [Oid.int8Array]: -1,
  [Oid.float4Array]: -1,
  [Oid.float8Array]: -1,
  [Oid.timestampArray]: -1,
  [Oid.dateArray]: -1,
  [Oid.timestamptzArray]: -1,
  [Oid.numericArray]: -1,
  [Oid.jsonArray]: -1,
};

/** typlen of a type OID; -1 (variable) for OIDs not listed. */
export function typlenOf(oid: number): number {
  return TYPLEN[oid] ?? -1;
}
