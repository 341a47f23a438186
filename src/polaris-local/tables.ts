/**
 * The Tables API (docs/polaris-local.md, "Tables"): POST /tables (createTableInProject), GET /tables
 * (listTablesInProject) and GET /tables/{tableName} (describeTableInProject). A table is the Druid
 * datasource of the same name. Tables created here are kept under --state-dir and exist before they
 * have data; a Druid datasource with published segments and no record is listed as a flexible detail
 * table.
 */
import { createHash } from 'node:crypto';
import { createDruid, type Druid } from './druid.js';
import { sendBadRequest, sendConflict, sendNotFound } from './errors.js';
import { parseObject, readBody, sendJson } from './http-util.js';
import type { Route } from './router.js';
import type { RouteModule } from './server.js';
import { Collection } from './store.js';
import { dataTypeOfSqlType, queryableSchema, tableFromRequest, type TableRecord } from './table-model.js';

/** Who polaris-local says created and changed things (UserV2). */
export const LOCAL_USER = { username: 'polaris-local', userId: '00000000-0000-0000-0000-000000000000' };

interface SegmentStats {
  segmentCount: number;
  totalRows: number;
  totalDataSizeBytes: number;
  created: string;
  modified: string;
}

/**
 * The used segments; a segment version is the ISO time its data was written, so the table times come
 * from them. Summed here: Druid 33 answers `SELECT MIN("version") FROM sys.segments` with a
 * RuntimeException (MIN over a VARCHAR column of the system table).
 */
const SEGMENTS_SQL = 'SELECT "datasource", "num_rows", "size", "version" FROM sys.segments WHERE "is_published" = 1 AND "is_overshadowed" = 0';
const COLUMNS_SQL = `SELECT "COLUMN_NAME", "DATA_TYPE" FROM INFORMATION_SCHEMA.COLUMNS
WHERE "TABLE_SCHEMA" = 'druid' AND "TABLE_NAME" = ? ORDER BY "ORDINAL_POSITION"`;

export class Tables {
  readonly records: Collection<TableRecord>;

  constructor(
    store: ConstructorParameters<typeof Collection<TableRecord>>[0],
    readonly druid: Druid,
  ) {
    this.records = new Collection<TableRecord>(store, 'tables.json');
  }

  async stats(): Promise<Map<string, SegmentStats>> {
    const stats = new Map<string, SegmentStats>();
    for (const row of await this.druid.sql(SEGMENTS_SQL)) {
      const name = String(row.datasource);
      const version = String(row.version);
      const s = stats.get(name) ?? { segmentCount: 0, totalRows: 0, totalDataSizeBytes: 0, created: version, modified: version };
      s.segmentCount++;
      s.totalRows += Number(row.num_rows ?? 0);
      s.totalDataSizeBytes += Number(row.size ?? 0);
      if (version < s.created) s.created = version;
      if (version > s.modified) s.modified = version;
      stats.set(name, s);
    }
    return stats;
  }

  /** The record of a table, or a flexible detail record for a Druid datasource with segments. */
  async find(name: string, stats?: Map<string, SegmentStats>): Promise<TableRecord | undefined> {
    const kept = this.records.get(name);
    if (kept !== undefined) return kept;
    const found = (stats ?? (await this.stats())).get(name);
    return found === undefined ? undefined : datasourceTable(name, found);
  }

  async discovered(name: string): Promise<{ name: string; dataType: string }[]> {
    const rows = await this.druid.sql(COLUMNS_SQL, [{ type: 'VARCHAR', value: name }]);
    return rows.flatMap((r) => {
      const dataType = dataTypeOfSqlType(String(r.DATA_TYPE));
      return dataType === undefined ? [] : [{ name: String(r.COLUMN_NAME), dataType }];
    });
  }
}

function datasourceTable(name: string, stats: SegmentStats): TableRecord {
  return { id: nameUuid(name), name, type: 'detail', schemaMode: 'flexible', partitioningGranularity: 'day', clusteringColumns: [], schema: [], version: 0, createdOnTimestamp: stats.created, modifiedOnTimestamp: stats.modified };
}

/** A stable UUID for a datasource name (the SHA-1 of it, shaped as a version-5 UUID). */
function nameUuid(name: string): string {
  const hex = createHash('sha1').update(`polaris-local table ${name}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

function summary(table: TableRecord, stats: SegmentStats | undefined): Record<string, unknown> {
  return {
    id: table.id,
    name: table.name,
    type: table.type,
    version: table.version,
    availability: 'available',
    schemaMode: table.schemaMode,
    partitioningGranularity: table.partitioningGranularity,
    createdByUser: LOCAL_USER,
    modifiedByUser: LOCAL_USER,
    createdOnTimestamp: table.createdOnTimestamp,
    modifiedOnTimestamp: table.modifiedOnTimestamp,
    segmentCount: stats?.segmentCount ?? 0,
    totalRows: stats?.totalRows ?? 0,
    totalDataSizeBytes: stats?.totalDataSizeBytes ?? 0,
    precachedDataSizeBytes: stats?.totalDataSizeBytes ?? 0,
  };
}

async function describe(tables: Tables, table: TableRecord, stats: SegmentStats | undefined): Promise<Record<string, unknown>> {
  const discovered = stats === undefined ? [] : await tables.discovered(table.name);
  return {
    ...summary(table, stats),
    clusteringColumns: table.clusteringColumns,
    schema: table.schema,
    queryableSchema: queryableSchema(table, discovered),
    ...(table.description === undefined ? {} : { description: table.description }),
  };
}

export const tableRoutes: RouteModule = (services) => {
  const tables = new Tables(services.store, createDruid(services.options.druidUrl, services.options.overlordUrl));
  services.tables = tables;
  const routes: Route[] = [
    {
      method: 'GET',
      template: '/tables',
      handle: async ({ res }) => {
        const stats = await tables.stats();
        const names = new Set([...tables.records.list().map((t) => t.name), ...stats.keys()]);
        const values: Record<string, unknown>[] = [];
        for (const name of [...names].sort()) {
          const table = await tables.find(name, stats);
          if (table !== undefined) values.push(summary(table, stats.get(name)));
        }
        sendJson(res, 200, { values });
      },
    },
    {
      method: 'GET',
      template: '/tables/{tableName}',
      handle: async ({ res, params }) => {
        const name = params[0] ?? '';
        const stats = await tables.stats();
        const table = await tables.find(name, stats);
        if (table === undefined) return sendNotFound(res, `Table ${name}`);
        sendJson(res, 200, await describe(tables, table, stats.get(name)));
      },
    },
    {
      method: 'POST',
      template: '/tables',
      handle: async ({ req, res }) => {
        const body = parseObject(await readBody(req));
        if (body === undefined) return sendBadRequest(res, 'The request body must be a JSON object.');
        const table = tableFromRequest(body, new Date());
        if (typeof table === 'string') return sendBadRequest(res, table);
        if ((await tables.find(table.name)) !== undefined) return sendConflict(res, `A table named ${table.name} already exists.`);
        tables.records.put(table);
        sendJson(res, 201, await describe(tables, table, undefined), { location: `/v1/projects/${services.options.projectId}/tables/${encodeURIComponent(table.name)}` });
      },
    },
  ];
  return { routes };
};
