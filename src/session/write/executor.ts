import type { CatalogManager } from '../../catalog/manager.js';
import type { Config } from '../../config/settings.js';
import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import type { Backend, BackendCredential } from '../../schema/druid.js';
import type { IngestColumn, Ingestion, JobStatus, NewTable, TableApi } from '../../schema/ingest.js';
import type { SchemaSnapshot, TableInfo } from '../../schema/snapshot.js';
import type { GucStore } from '../../exec/gucs.js';
import type { TransactionState } from '../transaction.js';
import type { JobTarget } from './job.js';
import { InsertBatch } from './batch.js';
import { RowSink, stagingDir } from './staging.js';

export interface WriteExecutorDeps {
  backend: Backend;
  catalog: CatalogManager;
  credential: BackendCredential;
  database: string;
  gucs: GucStore;
  config: Pick<Config, 'writes' | 'writeStagingDir' | 'timestampType' | 'schemaName'>;
}

/** What a session's write statements use: the --writes switch, the schema, the backend's ingestion and the staging directory. */
export class WriteExecutor {
  /** INSERT ... VALUES gathered until Sync (batch.ts). */
  readonly batch = new InsertBatch();

  constructor(private readonly deps: WriteExecutorDeps) {}

  get timestampType(): 'timestamptz' | 'timestamp' {
    return this.deps.config.timestampType;
  }

  get schemaName(): string {
    return this.deps.config.schemaName;
  }

  /** Writes are refused: --writes off, or the transaction is read-only (default_transaction_read_only / SET TRANSACTION READ ONLY). */
  readOnly(tx: TransactionState): boolean {
    if (this.deps.config.writes !== 'on') return true;
    const setting = tx.inBlock ? 'transaction_read_only' : 'default_transaction_read_only';
    return this.deps.gucs.get(setting) === 'on';
  }

  snapshot(force = false): Promise<SchemaSnapshot> {
    return this.deps.catalog.snapshot(this.deps.credential, this.deps.database, { force });
  }

  /** Reloads the schema after a write, so the catalog shows a new table or columns at once. */
  async refreshSchema(): Promise<void> {
    await this.snapshot(true);
  }

  /** The job target of a table; 0A000 when the backend takes no ingestion. */
  target(table: string, columns: readonly IngestColumn[]): JobTarget {
    const ingestion: Ingestion | undefined = this.deps.backend.ingestion;
    if (ingestion === undefined) {
      throw new PgError(SqlState.FeatureNotSupported, `writes to the ${this.deps.backend.kind} backend are not supported by polaris-pg yet`, {
        hint: 'Writes run on the Druid backend (docs/writes.md).',
      });
    }
    return { ingestion, backend: this.deps.backend, credential: this.deps.credential, table, columns };
  }

  /** The backend's table registry (Polaris' Tables API); undefined on Druid, which has no empty tables. */
  get tables(): TableApi | undefined {
    return this.deps.backend.ingestion?.tables;
  }

  /** A table the registry knows but the SQL schema may not show yet (one without rows). */
  describeTable(name: string): Promise<TableInfo | undefined> {
    return this.tables?.describe(name, this.deps.credential) ?? Promise.resolve(undefined);
  }

  /** Creates an empty table; false when one of that name exists. */
  createTable(table: NewTable): Promise<boolean> {
    const tables = this.tables;
    if (tables === undefined) throw new PgError(SqlState.InternalError, 'CREATE TABLE on a backend without a table registry');
    return tables.create(table, this.deps.credential);
  }

  /** The backend's ingestion jobs (polaris.jobs); null with writes off, where the management views do not exist. */
  async jobs(): Promise<JobStatus[] | null> {
    if (this.deps.config.writes !== 'on') return null;
    return (await this.deps.backend.ingestion?.jobs(this.deps.credential)) ?? [];
  }

  sink(): RowSink {
    return new RowSink(stagingDir(this.deps.config.writeStagingDir));
  }
}
