/**
 * The rows of the result-path benchmark, defined once for both sides: the instant Druid stand-in
 * serves them as arrayLines and PostgreSQL builds the same table with generate_series (BENCH_TABLE_SQL).
 * Row i: __time = 2026-01-01T00:00:00Z + i seconds, two short texts, two bigints, and i / 7 as float8
 * (an IEEE division in both JavaScript and PostgreSQL, so the same double with up to 17 digits).
 */
export interface BenchColumn {
  name: string;
  nativeType: string;
  /** The type in Druid's sqlTypesHeader line of the gateway's query. */
  sqlType: string;
  /** The type in Druid's INFORMATION_SCHEMA.COLUMNS.DATA_TYPE. */
  schemaType: string;
}

/** The gateway asks for __time as TIMESTAMP_TO_MILLIS(__time), which Druid types LONG / BIGINT. */
export const BENCH_COLUMNS: readonly BenchColumn[] = [
  { name: '__time', nativeType: 'LONG', sqlType: 'BIGINT', schemaType: 'TIMESTAMP' },
  { name: 'country', nativeType: 'STRING', sqlType: 'VARCHAR', schemaType: 'VARCHAR' },
  { name: 'city', nativeType: 'STRING', sqlType: 'VARCHAR', schemaType: 'VARCHAR' },
  { name: 'user_id', nativeType: 'LONG', sqlType: 'BIGINT', schemaType: 'BIGINT' },
  { name: 'bytes', nativeType: 'LONG', sqlType: 'BIGINT', schemaType: 'BIGINT' },
  { name: 'ratio', nativeType: 'DOUBLE', sqlType: 'DOUBLE', schemaType: 'DOUBLE' },
];

const BASE_MS = Date.UTC(2026, 0, 1);
const COUNTRIES = 50;
const CITIES = 1000;
const CITY_STEP = 7;
const BYTES_FACTOR = 7919;
const RATIO_DIVISOR = 7;

/** Row i as Druid's JSON array line (without the line feed). */
export function benchRow(i: number): string {
  return `[${BASE_MS + i * 1000},"country-${i % COUNTRIES}","city-${(i * CITY_STEP) % CITIES}",${i},${i * BYTES_FACTOR},${JSON.stringify(i / RATIO_DIVISOR)}]`;
}

/** PostgreSQL: the same rows as a table in its own schema (created and dropped by the benchmark). */
export function benchTableSql(schema: string, rows: number): string[] {
  return [
    `DROP SCHEMA IF EXISTS ${schema} CASCADE`,
    `CREATE SCHEMA ${schema}`,
    `CREATE TABLE ${schema}.bench ("__time" timestamptz NOT NULL, country text, city text, user_id bigint, bytes bigint, ratio float8)`,
    `INSERT INTO ${schema}.bench SELECT timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second', 'country-' || (i % ${COUNTRIES}), 'city-' || ((i * ${CITY_STEP}) % ${CITIES}), i, i * ${BYTES_FACTOR}, i::float8 / ${RATIO_DIVISOR} FROM generate_series(0::bigint, ${rows - 1}) AS i`,
    `VACUUM ANALYZE ${schema}.bench`,
  ];
}
