/**
 * Tables as the Tables API describes them (docs/polaris-local.md, "Tables"): what a create request
 * declares, and the queryable schema: the declared columns, plus in flexible mode the columns Druid
 * has discovered in the data. Druid SQL types map to the document's TableColumnDataType values.
 */
import { randomUUID } from 'node:crypto';
import { isRecord } from './http-util.js';

export const TABLE_TYPES = ['detail', 'aggregate'] as const;
export const SCHEMA_MODES = ['flexible', 'strict'] as const;
export const GRANULARITIES = ['second', 'minute', 'five_minute', 'ten_minute', 'fifteen_minute', 'thirty_minute', 'hour', 'six_hour', 'eight_hour', 'day', 'week', 'month', 'quarter', 'year', 'all'] as const;
/** The document's TableColumnDataType enum. */
export const DATA_TYPES = ['bigint', 'complex<json>', 'double', 'float', 'geo', 'HLLSketch', 'ipAddress', 'ipPrefix', 'json', 'long', 'longStringPair', 'doubleArray', 'floatArray', 'longArray', 'stringArray', 'quantilesDoublesSketch', 'string', 'thetaSketch', 'ingest_timeseries', 'timestamp', 'varchar', 'variance'] as const;
const MAX_NAME_LENGTH = 255;
export const TIME_COLUMN = '__time';

export interface DeclaredColumn {
  name: string;
  dataType: string;
  /** Aggregate tables: dimension or measure. */
  type?: string;
}

export interface QueryableColumn {
  name: string;
  dataType: string;
  isDiscovered: boolean;
}

export interface TableRecord {
  id: string;
  name: string;
  type: (typeof TABLE_TYPES)[number];
  schemaMode: (typeof SCHEMA_MODES)[number];
  partitioningGranularity: string;
  clusteringColumns: string[];
  schema: DeclaredColumn[];
  version: number;
  createdOnTimestamp: string;
  modifiedOnTimestamp: string;
  description?: string;
}

/** Druid SQL type -> TableColumnDataType; a type not listed here is left out of queryableSchema. */
const FROM_SQL_TYPE: Readonly<Record<string, string>> = {
  TIMESTAMP: 'timestamp',
  BIGINT: 'long',
  DOUBLE: 'double',
  FLOAT: 'float',
  VARCHAR: 'string',
  'COMPLEX<json>': 'json',
  'VARCHAR ARRAY': 'stringArray',
  'BIGINT ARRAY': 'longArray',
  'DOUBLE ARRAY': 'doubleArray',
  'FLOAT ARRAY': 'floatArray',
};

export function dataTypeOfSqlType(sqlType: string): string | undefined {
  return FROM_SQL_TYPE[sqlType];
}

/** A table record from a create request, or the reason it is refused (400). */
export function tableFromRequest(body: Record<string, unknown>, now: Date): TableRecord | string {
  const { name } = body;
  if (typeof name !== 'string' || name.length < 1 || name.length > MAX_NAME_LENGTH) return `name must be a string of 1 to ${MAX_NAME_LENGTH} characters`;
  const type = body.type ?? 'detail';
  const schemaMode = body.schemaMode ?? 'flexible';
  const granularity = body.partitioningGranularity ?? 'day';
  if (!TABLE_TYPES.some((t) => t === type)) return `type must be one of ${TABLE_TYPES.join(', ')}`;
  if (!SCHEMA_MODES.some((m) => m === schemaMode)) return `schemaMode must be one of ${SCHEMA_MODES.join(', ')}`;
  if (!GRANULARITIES.some((g) => g === granularity)) return `partitioningGranularity must be one of ${GRANULARITIES.join(', ')}`;
  const schema = body.schema ?? [];
  if (!Array.isArray(schema)) return 'schema must be an array of columns';
  const columns: DeclaredColumn[] = [];
  for (const column of schema) {
    if (!isRecord(column) || typeof column.name !== 'string' || column.name === '') return 'each schema column needs a name';
    if (typeof column.dataType !== 'string' || !DATA_TYPES.some((t) => t === column.dataType)) return `column ${column.name}: dataType must be one of ${DATA_TYPES.join(', ')}`;
    if (columns.some((c) => c.name === column.name)) return `column ${column.name} is declared twice`;
    columns.push({ name: column.name, dataType: column.dataType, ...(typeof column.type === 'string' ? { type: column.type } : {}) });
  }
  const clustering = Array.isArray(body.clusteringColumns) ? body.clusteringColumns.filter((c): c is string => typeof c === 'string') : [];
  const stamp = now.toISOString();
  return {
    id: randomUUID(),
    name,
    type: type as TableRecord['type'],
    schemaMode: schemaMode as TableRecord['schemaMode'],
    partitioningGranularity: granularity as string,
    clusteringColumns: clustering,
    schema: columns,
    version: 0,
    createdOnTimestamp: stamp,
    modifiedOnTimestamp: stamp,
    ...(typeof body.description === 'string' ? { description: body.description } : {}),
  };
}

/**
 * The queryable schema: __time first (every Polaris table has it), then the declared columns, then in
 * flexible mode the columns found in the data that were not declared.
 */
export function queryableSchema(table: TableRecord, discovered: readonly { name: string; dataType: string }[]): QueryableColumn[] {
  const columns: QueryableColumn[] = [];
  const seen = new Set<string>();
  const add = (name: string, dataType: string, isDiscovered: boolean): void => {
    if (seen.has(name)) return;
    seen.add(name);
    columns.push({ name, dataType, isDiscovered });
  };
  const declaredTime = table.schema.find((c) => c.name === TIME_COLUMN);
  add(TIME_COLUMN, declaredTime?.dataType ?? 'timestamp', false);
  for (const c of table.schema) add(c.name, c.dataType, false);
  if (table.schemaMode === 'flexible') for (const c of discovered) add(c.name, c.dataType, true);
  return columns;
}
