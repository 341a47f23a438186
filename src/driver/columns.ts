import type { DruidColumn } from '../schema/druid.js';
import type { ResultColumn } from '../exec/row-source.js';

/** One result column as a ResultSet describes it (JDBC ResultSetMetaData). */
export interface ColumnInfo {
  name: string;
  /** PostgreSQL type name as the gateway reports it: int8, float8, text, timestamptz, _int8, ... */
  pgType: string;
  /** PostgreSQL type OID (RowDescription's type). */
  typeOid: number;
  /** Druid's SQL type from the result header (BIGINT, VARCHAR, TIMESTAMP, ARRAY, ...); null from describe(). */
  druidType: string | null;
  /** Druid's native type (LONG, STRING, ARRAY<LONG>, ...) when the header gives it. */
  druidNativeType: string | null;
  /**
   * Whether the column may hold NULL; null when unknown. Druid's result header does not say, so a
   * result column is null here (JDBC columnNullableUnknown) and metadata().getColumns() gives the
   * table columns' nullability.
   */
  nullable: boolean | null;
}

export function columnInfos(columns: readonly ResultColumn[], druid: readonly DruidColumn[] = []): ColumnInfo[] {
  return columns.map((c, i) => ({
    name: c.name,
    pgType: c.type.name,
    typeOid: c.type.oid,
    druidType: druid[i]?.sqlType ?? null,
    druidNativeType: druid[i]?.nativeType ?? null,
    nullable: null,
  }));
}
