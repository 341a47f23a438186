import { pgTypeFor } from '../types/druid-to-pg.js';
import type { SchemaSnapshot } from '../schema/snapshot.js';
import { jdbcType, TYPE_NAMES } from './jdbc-types.js';

/** A metadata row: JDBC column label -> value (numbers for JDBC's int and short columns). */
export type MetaRow = Record<string, string | number | null>;

/** The catalog name pgjdbc reports (the gateway's database, TABLE_CAT). */
const CATALOG = 'druid';
/** Druid's primary time column, the only one Druid never leaves null. */
const TIME_COLUMN = '__time';
/** The schemas the gateway's catalog has besides the tables' own. */
const SYSTEM_SCHEMAS = ['information_schema', 'pg_catalog'];
const NULLABLE = 1;
const NO_NULLS = 0;
const SEARCHABLE = 3;
const RADIX = 10;

/** A JDBC name pattern (% and _) as a RegExp; null or undefined matches everything. */
function like(pattern: string | null | undefined): RegExp {
  if (pattern === null || pattern === undefined) return /^/;
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, 's');
}

/**
 * JDBC DatabaseMetaData over the backend's tables, with the columns and values pgjdbc's gives
 * through the gateway (rows in the same order).
 */
export class DatabaseMetaData {
  constructor(
    private readonly snapshot: () => Promise<SchemaSnapshot>,
    private readonly schemaName: string,
    private readonly timestampType: 'timestamptz' | 'timestamp',
  ) {}

  /** `catalog` is accepted as JDBC's first argument; the driver has one catalog. */
  async getSchemas(_catalog?: string | null, schemaPattern?: string | null): Promise<MetaRow[]> {
    const match = like(schemaPattern);
    return [...SYSTEM_SCHEMAS, this.schemaName].sort().filter((s) => match.test(s)).map((s) => ({ TABLE_SCHEM: s, TABLE_CATALOG: CATALOG }));
  }

  /** Druid tables are all of type TABLE; `types` without 'TABLE' gives none. */
  async getTables(_catalog?: string | null, schemaPattern?: string | null, tablePattern?: string | null, types?: readonly string[] | null): Promise<MetaRow[]> {
    if (!like(schemaPattern).test(this.schemaName) || (types !== null && types !== undefined && !types.includes('TABLE'))) return [];
    const match = like(tablePattern);
    const names = [...(await this.snapshot()).tables.keys()].filter((t) => match.test(t)).sort();
    return names.map((name) => ({
      TABLE_CAT: CATALOG,
      TABLE_SCHEM: this.schemaName,
      TABLE_NAME: name,
      TABLE_TYPE: 'TABLE',
      REMARKS: null,
      TYPE_CAT: '',
      TYPE_SCHEM: '',
      TYPE_NAME: '',
      SELF_REFERENCING_COL_NAME: '',
      REF_GENERATION: '',
    }));
  }

  async getColumns(_catalog?: string | null, schemaPattern?: string | null, tablePattern?: string | null, columnPattern?: string | null): Promise<MetaRow[]> {
    if (!like(schemaPattern).test(this.schemaName)) return [];
    const snapshot = await this.snapshot();
    const tableMatch = like(tablePattern);
    const columnMatch = like(columnPattern);
    const rows: MetaRow[] = [];
    for (const name of [...snapshot.tables.keys()].sort()) {
      if (!tableMatch.test(name)) continue;
      for (const column of snapshot.tables.get(name)?.columns ?? []) {
        if (!columnMatch.test(column.name)) continue;
        const typeName = pgTypeFor(column, { timestampType: this.timestampType }).name;
        const jdbc = jdbcType(typeName);
        const nullable = column.name !== TIME_COLUMN;
        rows.push({
          TABLE_CAT: CATALOG,
          TABLE_SCHEM: this.schemaName,
          TABLE_NAME: name,
          COLUMN_NAME: column.name,
          DATA_TYPE: jdbc.dataType,
          TYPE_NAME: typeName,
          COLUMN_SIZE: jdbc.columnSize,
          BUFFER_LENGTH: null,
          DECIMAL_DIGITS: jdbc.decimalDigits,
          NUM_PREC_RADIX: RADIX,
          NULLABLE: nullable ? NULLABLE : NO_NULLS,
          REMARKS: null,
          COLUMN_DEF: null,
          SQL_DATA_TYPE: null,
          SQL_DATETIME_SUB: null,
          CHAR_OCTET_LENGTH: jdbc.columnSize,
          ORDINAL_POSITION: column.ordinal,
          IS_NULLABLE: nullable ? 'YES' : 'NO',
          SCOPE_CATALOG: null,
          SCOPE_SCHEMA: null,
          SCOPE_TABLE: null,
          SOURCE_DATA_TYPE: null,
          IS_AUTOINCREMENT: 'NO',
          IS_GENERATEDCOLUMN: 'NO',
        });
      }
    }
    return rows;
  }

  /** The types the driver's results have, with getTypeInfo's columns. */
  async getTypeInfo(): Promise<MetaRow[]> {
    return TYPE_NAMES.map((name) => {
      const t = jdbcType(name);
      return {
        TYPE_NAME: name,
        DATA_TYPE: t.dataType,
        PRECISION: t.precision,
        LITERAL_PREFIX: t.quoted ? "'" : null,
        LITERAL_SUFFIX: t.quoted ? "'" : null,
        CREATE_PARAMS: null,
        NULLABLE,
        CASE_SENSITIVE: t.caseSensitive ? 't' : 'f',
        SEARCHABLE,
        UNSIGNED_ATTRIBUTE: t.unsigned ? 't' : 'f',
        FIXED_PREC_SCALE: 'f',
        AUTO_INCREMENT: 'f',
        LOCAL_TYPE_NAME: null,
        MINIMUM_SCALE: 0,
        MAXIMUM_SCALE: t.maximumScale,
        SQL_DATA_TYPE: null,
        SQL_DATETIME_SUB: null,
        NUM_PREC_RADIX: RADIX,
      };
    });
  }
}
