/**
 * What pgjdbc's DatabaseMetaData reports for each type the driver returns (observed from pgjdbc
 * 42.7 through the gateway, test/driver/metadata.test.ts): java.sql.Types code, getColumns'
 * COLUMN_SIZE and DECIMAL_DIGITS for an unconstrained column, and getTypeInfo's PRECISION,
 * CASE_SENSITIVE, literal quoting, UNSIGNED_ATTRIBUTE and MAXIMUM_SCALE.
 * https://docs.oracle.com/en/java/javase/21/docs/api/java.sql/java/sql/DatabaseMetaData.html
 */
export interface JdbcType {
  dataType: number;
  columnSize: number;
  decimalDigits: number;
  precision: number;
  caseSensitive: boolean;
  quoted: boolean;
  unsigned: boolean;
  maximumScale: number;
}

/** java.sql.Types codes. */
const Types = { BIT: -7, BIGINT: -5, NUMERIC: 2, INTEGER: 4, SMALLINT: 5, REAL: 7, DOUBLE: 8, VARCHAR: 12, DATE: 91, TIMESTAMP: 93, OTHER: 1111, ARRAY: 2003 } as const;
/** pgjdbc's length of a type without a limit (text, arrays, json). */
const UNLIMITED = 2_147_483_647;
const NUMERIC_MAX_PRECISION = 1000;
/** pgjdbc's display size of an unconstrained numeric. */
const NUMERIC_DISPLAY_SIZE = 131_089;
const TIMESTAMP_DIGITS = 6;

function type(dataType: number, columnSize: number, decimalDigits: number, extra: Partial<JdbcType> = {}): JdbcType {
  return { dataType, columnSize, decimalDigits, precision: 0, caseSensitive: false, quoted: false, unsigned: false, maximumScale: 0, ...extra };
}

const SCALARS: Record<string, JdbcType> = {
  bool: type(Types.BIT, 1, 0, { quoted: true, unsigned: true }),
  int2: type(Types.SMALLINT, 5, 0),
  int4: type(Types.INTEGER, 10, 0),
  int8: type(Types.BIGINT, 19, 0),
  float4: type(Types.REAL, 8, 8),
  float8: type(Types.DOUBLE, 17, 17),
  numeric: type(Types.NUMERIC, NUMERIC_DISPLAY_SIZE, 0, { precision: NUMERIC_MAX_PRECISION, maximumScale: NUMERIC_MAX_PRECISION }),
  text: type(Types.VARCHAR, UNLIMITED, 0, { caseSensitive: true, quoted: true, unsigned: true }),
  date: type(Types.DATE, 13, 0, { quoted: true, unsigned: true }),
  timestamp: type(Types.TIMESTAMP, 29, TIMESTAMP_DIGITS, { precision: TIMESTAMP_DIGITS, quoted: true, unsigned: true }),
  timestamptz: type(Types.TIMESTAMP, 35, TIMESTAMP_DIGITS, { precision: TIMESTAMP_DIGITS, quoted: true, unsigned: true }),
  json: type(Types.OTHER, UNLIMITED, 0, { caseSensitive: true, quoted: true, unsigned: true }),
};

/** The JDBC view of a PostgreSQL type name (`_x` is the array of x). */
export function jdbcType(name: string): JdbcType {
  const scalar = SCALARS[name];
  if (scalar !== undefined) return scalar;
  const element = name.startsWith('_') ? SCALARS[name.slice(1)] : undefined;
  if (element === undefined) return SCALARS.text as JdbcType;
  // An array literal is always quoted ('{1,2}').
  return { ...element, dataType: Types.ARRAY, columnSize: UNLIMITED, decimalDigits: 0, quoted: true, maximumScale: 0 };
}

/** The type names getTypeInfo lists: those the driver's results have, scalars and their arrays. */
export const TYPE_NAMES = [...Object.keys(SCALARS), ...Object.keys(SCALARS).map((n) => `_${n}`)];
