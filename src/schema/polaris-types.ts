/**
 * Polaris column data types (the Tables API's TableColumnDataType, docs/polaris.md "Discovery") as
 * the Druid column types the rest of the gateway reads; src/types/druid-to-pg.ts then gives the
 * PostgreSQL type. This is the one place a Polaris dataType is interpreted. A declared column gets
 * the DATA_TYPE Druid's INFORMATION_SCHEMA.COLUMNS reports for it once the table has data (the
 * reverse of polaris-local's table-model.ts), so a table's catalog entry does not change when its
 * first rows arrive:
 *
 * | dataType | INFORMATION_SCHEMA DATA_TYPE | PostgreSQL (catalog) |
 * |---|---|---|
 * | timestamp | TIMESTAMP | timestamptz (or timestamp, --timestamp-type) |
 * | long, bigint | BIGINT | int8 |
 * | double | DOUBLE | float8 |
 * | float | FLOAT | float4 |
 * | string, varchar | VARCHAR | text |
 * | json, complex<json> | COMPLEX<json> | text |
 * | stringArray, longArray, doubleArray, floatArray | VARCHAR ARRAY, BIGINT ARRAY, DOUBLE ARRAY, FLOAT ARRAY | text |
 * | anything else (sketches, ipAddress, geo, ...) | COMPLEX<dataType> | text |
 */
import type { ColumnInfo } from './snapshot.js';

const BY_DATA_TYPE: Readonly<Record<string, string>> = {
  timestamp: 'TIMESTAMP',
  long: 'BIGINT',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  float: 'FLOAT',
  string: 'VARCHAR',
  varchar: 'VARCHAR',
  json: 'COMPLEX<json>',
  'complex<json>': 'COMPLEX<json>',
  stringArray: 'VARCHAR ARRAY',
  longArray: 'BIGINT ARRAY',
  doubleArray: 'DOUBLE ARRAY',
  floatArray: 'FLOAT ARRAY',
};

/** The time column every Polaris table has; Druid reports it NOT NULL. */
const TIME_COLUMN = '__time';

/** The INFORMATION_SCHEMA DATA_TYPE of a Polaris dataType. */
export function sqlTypeOfPolarisDataType(dataType: string): string {
  return BY_DATA_TYPE[dataType] ?? `COMPLEX<${dataType}>`;
}

/** A declared column as the snapshot keeps columns (ordinal is 1-based; native types are unknown, as from INFORMATION_SCHEMA). */
export function columnOfDeclared(column: { name: string; dataType: string }, ordinal: number): ColumnInfo {
  return { name: column.name, ordinal, sqlType: sqlTypeOfPolarisDataType(column.dataType), nativeType: null, nullable: column.name !== TIME_COLUMN };
}
