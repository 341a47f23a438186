/**
 * Reads the backend's tables and columns from Druid's INFORMATION_SCHEMA.COLUMNS, and on Polaris
 * also the tables its Tables API declares before they have data (docs/polaris.md, "Discovery").
 * https://druid.apache.org/docs/latest/querying/sql-metadata-tables#columns-table
 */
import type { Backend, BackendCredential, DruidValue, TableDirectory } from './druid.js';
import { columnOfDeclared } from './polaris-types.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { ColumnInfo, SchemaSnapshot, TableInfo } from './snapshot.js';

export const SCHEMA_QUERY =
  "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'druid' ORDER BY TABLE_NAME, ORDINAL_POSITION";

function text(value: DruidValue | undefined, column: string): string {
  if (typeof value === 'string') return value;
  throw new PgError(SqlState.InternalError, `unexpected ${column} value in INFORMATION_SCHEMA.COLUMNS: ${String(value)}`);
}

function ordinal(value: DruidValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  throw new PgError(SqlState.InternalError, `unexpected ORDINAL_POSITION value in INFORMATION_SCHEMA.COLUMNS: ${String(value)}`);
}

/**
 * One query, read to the end. Native types are not in INFORMATION_SCHEMA (nativeType is null,
 * also for ARRAY columns, whose element type is therefore unknown).
 */
export async function loadSchema(backend: Backend, credential: BackendCredential): Promise<SchemaSnapshot> {
  const stream = await backend.query({ sql: SCHEMA_QUERY, parameters: [], context: {}, credential });
  const tables = new Map<string, TableInfo>();
  try {
    for await (const batch of stream) {
      for (const row of batch) {
        const tableName = text(row[0], 'TABLE_NAME');
        const column: ColumnInfo = {
          name: text(row[1], 'COLUMN_NAME'),
          ordinal: ordinal(row[2]),
          sqlType: text(row[3], 'DATA_TYPE'),
          nativeType: null,
          nullable: text(row[4], 'IS_NULLABLE') === 'YES',
        };
        let table = tables.get(tableName);
        if (table === undefined) {
          table = { name: tableName, columns: [] };
          tables.set(tableName, table);
        }
        table.columns.push(column);
      }
    }
  } finally {
    await stream.close();
  }
  for (const table of tables.values()) table.columns.sort((a, b) => a.ordinal - b.ordinal);
  if (backend.tableDirectory !== undefined) await addDeclaredTables(backend.tableDirectory, credential, tables);
  return { tables, loadedAt: Date.now() };
}

/**
 * Which of the named tables Druid's SQL sees now (INFORMATION_SCHEMA.TABLES): a table the snapshot
 * holds as without data may have received its first rows since the snapshot was read.
 */
export async function tablesSqlSees(backend: Backend, credential: BackendCredential, names: readonly string[]): Promise<Set<string>> {
  const marks = names.map(() => '?').join(', ');
  const sql = `SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'druid' AND TABLE_NAME IN (${marks})`;
  const stream = await backend.query({ sql, parameters: names.map((value) => ({ type: 'VARCHAR', value })), context: {}, credential });
  const seen = new Set<string>();
  try {
    for await (const batch of stream) for (const row of batch) seen.add(text(row[0], 'TABLE_NAME'));
  } finally {
    await stream.close();
  }
  return seen;
}

/**
 * The union with the Tables API (Polaris): a table SQL does not see yet (no data) is added with its
 * declared queryable schema (src/schema/polaris-types.ts); a table SQL sees keeps Druid's columns.
 */
async function addDeclaredTables(directory: TableDirectory, credential: BackendCredential, tables: Map<string, TableInfo>): Promise<void> {
  const missing = (await directory.list(credential)).filter((t) => !tables.has(t.name));
  // One at a time: Polaris rate-limits API calls per organization.
  for (const { name } of missing) {
    const columns = await directory.columns(credential, name);
    if (columns !== undefined) tables.set(name, { name, columns: columns.map((c, i) => columnOfDeclared(c, i + 1)), withoutData: true });
  }
}
