/** The backend's tables and columns, as read from Druid's INFORMATION_SCHEMA. */
export interface ColumnInfo {
  /** Exact (case-sensitive) Druid column name. */
  name: string;
  /** 1-based ordinal position. */
  ordinal: number;
  /** INFORMATION_SCHEMA.COLUMNS.DATA_TYPE: VARCHAR, BIGINT, TIMESTAMP, DOUBLE, FLOAT, ARRAY, OTHER, ... */
  sqlType: string;
  /** Native type when known (LONG, STRING, ARRAY<STRING>, COMPLEX<json>, ...). */
  nativeType: string | null;
  nullable: boolean;
}

export interface TableInfo {
  /** Exact (case-sensitive) Druid table name. */
  name: string;
  columns: ColumnInfo[];
  /**
   * A Polaris table its Tables API declares that SQL does not see yet (no data): the columns are
   * its declared schema, and Druid answers a query on it with "Object not found" (docs/polaris.md).
   */
  withoutData?: true;
}

export interface SchemaSnapshot {
  /** Keyed by exact Druid table name. */
  readonly tables: ReadonlyMap<string, TableInfo>;
  /** Date.now() when read. */
  readonly loadedAt: number;
}
