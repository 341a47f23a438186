import type { BackendCredential } from './druid.js';
import type { TableInfo } from './snapshot.js';

/**
 * The ingestion contract a backend implements for writes (docs/writes.md): submit one batch of
 * rows as an append job, then read the job's status. src/backend/druid-ingest.ts implements it
 * with Druid's Overlord task API.
 */

/** Druid column types a write produces (besides __time). */
export type IngestColumnType = 'string' | 'long' | 'double' | 'float';

export interface IngestColumn {
  name: string;
  type: IngestColumnType;
}

/** Newline-delimited JSON rows, each with `__time` in epoch milliseconds. */
export type IngestInput =
  | { kind: 'inline'; data: string }
  /** A file the ingestion service reads at this absolute path. */
  | { kind: 'file'; path: string };

export interface IngestRequest {
  dataSource: string;
  columns: readonly IngestColumn[];
  input: IngestInput;
  credential: BackendCredential;
}

/** A job's state: Druid's task status codes (waiting, pending and running are all 'RUNNING' here). */
export type JobState = 'RUNNING' | 'SUCCESS' | 'FAILED';

export interface JobStatus {
  id: string;
  dataSource: string | null;
  type: string | null;
  state: JobState;
  /** The backend's own word for the state: Druid's statusCode, Polaris' executionStatus. */
  status: string;
  /** Polaris' health.status (ok, warn, error); null on Druid. */
  health: string | null;
  /** The job's own failure message when it failed. */
  errorMsg: string | null;
  createdTime: string | null;
  /** Run time in milliseconds once finished, else null. */
  durationMs: number | null;
}

/** An empty table for a backend that has them (Polaris' Tables API; docs/writes.md, "Polaris"). */
export interface NewTable {
  name: string;
  type: 'detail' | 'aggregate';
  schemaMode: 'strict' | 'flexible';
  /** Polaris' partitioningGranularity: second .. year, all. */
  partitioning: string;
  clusteringColumns: string[];
  /** The declared columns besides __time, which every table has. */
  columns: readonly IngestColumn[];
}

/** A backend's own table registry: tables that exist before they hold rows. */
export interface TableApi {
  /** Creates the table; false when a table of that name exists. */
  create(table: NewTable, credential: BackendCredential): Promise<boolean>;
  /** The table's queryable columns, or undefined when there is no such table. */
  describe(name: string, credential: BackendCredential): Promise<TableInfo | undefined>;
}

/** A table's push-streaming connection (Polaris), for COPY with polaris.copy_target = stream. */
export interface StreamApi {
  /** The connection of the table's running streaming job, or one created with its streaming job now. */
  prepare(table: string, columns: readonly IngestColumn[], credential: BackendCredential): Promise<{ connection: string; created: boolean }>;
  /** Pushes newline-delimited JSON events (one request's worth); a rate-limited push is retried after `onRetry` is told the wait. */
  push(connection: string, ndjson: string, credential: BackendCredential, onRetry?: (waitMs: number) => Promise<void>): Promise<void>;
}

export interface Ingestion {
  /** Empty tables (Polaris); absent on Druid, which has none. */
  readonly tables?: TableApi;
  /** Push streaming (Polaris); absent on Druid. */
  readonly stream?: StreamApi;
  /** Submits the job and returns its ID. */
  submit(request: IngestRequest): Promise<string>;
  status(id: string, credential: BackendCredential): Promise<JobStatus>;
  /** Recent and running jobs, newest first (on Druid, the tasks polaris-pg submitted). */
  jobs(credential: BackendCredential): Promise<JobStatus[]>;
}
