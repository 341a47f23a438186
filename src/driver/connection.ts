import type { HttpBackend } from '../backend/druid-client.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { DataExecutor } from '../exec/data.js';
import { GucStore } from '../exec/gucs.js';
import type { BackendCredential } from '../schema/druid.js';
import { SchemaCache } from '../schema/cache.js';
import { parseSql } from '../sql/parser.js';
import { PG_COMPAT_VERSION_NUM, SERVER_VERSION } from '../version.js';
import { DatabaseMetaData } from './metadata.js';
import type { Param } from './params.js';
import type { ResultSet } from './result-set.js';
import { PreparedStatement, singleStatement } from './statement.js';

/** The database name the schema cache keys snapshots by (one per connection target). */
const DATABASE = 'druid';

export interface ConnectionDeps {
  backend: HttpBackend;
  credential: BackendCredential;
  settings: Readonly<Record<string, string | number>>;
  timestampType: 'timestamptz' | 'timestamp';
  schemaTtlMs: number;
  sortMemoryRows: number;
  schemaName: string;
}

/** Why a statement that is not over Druid tables is refused, and what to use instead. */
const REFUSALS: Record<string, { message: string; hint: string }> = {
  catalog: {
    message: 'queries of the PostgreSQL catalog (pg_catalog, information_schema) are not supported by the driver',
    hint: 'Use connection.metadata() for tables, columns and types.',
  },
  utility: {
    message: 'session and transaction statements are not supported by the driver',
    hint: 'Use connect(..., { settings }) or connection.set(name, value) for settings; the driver has no transactions or cursors.',
  },
  copy: { message: 'COPY is not supported by the driver', hint: 'Read the ResultSet (or use polaris-pg query --format csv).' },
};

/**
 * One driver session (JDBC Connection): its settings (TimeZone, statement_timeout, druid.<key>,
 * ...) as a gateway session's, and its statements, which it translates and runs on the backend.
 */
export class Connection {
  private readonly gucs: GucStore;
  private readonly schema: SchemaCache;
  private readonly executor: DataExecutor;
  private closed = false;

  constructor(private readonly deps: ConnectionDeps) {
    this.gucs = new GucStore(SERVER_VERSION, PG_COMPAT_VERSION_NUM, deps.backend.kind);
    for (const [name, value] of Object.entries(deps.settings)) this.gucs.set(name, String(value), false);
    this.schema = new SchemaCache(deps.backend, deps.schemaTtlMs);
    this.executor = new DataExecutor({
      backend: deps.backend,
      catalog: this.schema,
      credential: deps.credential,
      database: DATABASE,
      gucs: this.gucs,
      timestampType: deps.timestampType,
      sortMemoryRows: deps.sortMemoryRows,
      schemaName: deps.schemaName,
    });
  }

  /** SET name = value; validated as PostgreSQL does (22023, 42704, ...). */
  set(name: string, value: string | number): void {
    this.open();
    this.gucs.set(name, String(value), false);
  }

  /** SHOW name: the setting's current value, or undefined when it is not set. */
  get(name: string): string | undefined {
    return this.gucs.get(name);
  }

  /** Parses and translates a statement (JDBC prepareStatement); refusals (0A000) surface here. */
  async prepare(sql: string): Promise<PreparedStatement> {
    this.open();
    const stmt = singleStatement(parseSql(sql));
    const refusal = stmt.nodeType === 'CopyStmt' ? REFUSALS.copy : REFUSALS[stmt.route];
    if (refusal !== undefined) throw new PgError(SqlState.FeatureNotSupported, refusal.message, { hint: refusal.hint });
    const translation = await this.executor.translate(stmt, []);
    return new PreparedStatement({ gucs: this.gucs, executor: this.executor }, stmt, translation);
  }

  /** prepare(sql) then query(params). */
  async query(sql: string, params: readonly Param[] = []): Promise<ResultSet> {
    return (await this.prepare(sql)).query(params);
  }

  /** Tables, columns, schemas and types (JDBC DatabaseMetaData). */
  metadata(): DatabaseMetaData {
    this.open();
    return new DatabaseMetaData(() => this.schema.snapshot(this.deps.credential, DATABASE), this.deps.schemaName, this.deps.timestampType);
  }

  /** Closes the backend's HTTP connections; statements and result sets of it stop working. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.deps.backend.close();
  }

  private open(): void {
    if (this.closed) throw new PgError(SqlState.ConnectionDoesNotExist, 'the connection is closed');
  }
}
