/**
 * What the gateway exchanges with a Druid or Polaris SQL backend: result values and columns, query
 * parameters, and the query contract that src/backend implements. Only src/backend imports undici;
 * everything else sees these types.
 */
import type { Ingestion } from './ingest.js';

/** A decoded JSON value from a Druid result. Integers outside +-(2^53-1) arrive as bigint. */
export type DruidValue = null | boolean | number | bigint | string | DruidValue[] | { [key: string]: DruidValue };

/**
 * Result rows as Druid sent them (docs/druid-api.md "The arrayLines result format"): row k, for
 * from <= k < to, is the JSON array in UTF-8 bytes bufs[k][starts[k], ends[k]), without its line
 * feed, and is row number firstRow + (k - from) of the result (1-based). Not yet validated.
 */
export interface RawRows {
  readonly bufs: readonly Buffer[];
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly from: number;
  readonly to: number;
  readonly firstRow: number;
}

/** One result column as Druid's header rows describe it. */
export interface DruidColumn {
  name: string;
  /** SQL type from the sqlTypesHeader row: VARCHAR, BIGINT, TIMESTAMP, ARRAY, OTHER, ... */
  sqlType: string;
  /** Native type from the typesHeader row: LONG, STRING, ARRAY<LONG>, COMPLEX<json>, ... or null. */
  nativeType: string | null;
}

/** A typed dynamic parameter for Druid's `parameters` array (bound to `?` in order). */
export interface DruidParameter {
  /** Avatica SqlType name: VARCHAR, BIGINT, INTEGER, DOUBLE, BOOLEAN, TIMESTAMP, DATE, DECIMAL, ... */
  type: string;
  /** bigint values are written as raw JSON numbers (exact digits). */
  value: string | number | bigint | boolean | null;
}

/** Credential for one backend call: per session in passthrough mode, else the configured one. */
export type BackendCredential =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'apiKey'; apiKey: string }
  | { kind: 'bearer'; token: string };

export interface QueryRequest {
  sql: string;
  parameters: DruidParameter[];
  /** Merged into the request context; the client adds sqlQueryId if absent. */
  context: Record<string, string | number | boolean>;
  credential: BackendCredential;
  /** Aborting it ends the HTTP request; on Druid it also sends DELETE /druid/v2/sql/{sqlQueryId}. */
  signal?: AbortSignal;
  /**
   * Polaris only: run through the asynchronous statements API (docs/polaris.md, "Asynchronous
   * queries"), told of each state; aborting the signal then DELETEs the statement.
   */
  async?: { onProgress(progress: AsyncProgress): void };
}

/** The state of an asynchronous statement; rows and pages once it has succeeded. */
export interface AsyncProgress {
  queryId: string;
  state: string;
  rows?: number;
  pages?: number;
}

/**
 * A running query. Headers (columns) are read before query() resolves. Rows are pulled in
 * batches; the HTTP body is read only as fast as batches are consumed (backpressure).
 * Iteration throws PgError when the stream ends without Druid's blank trailer line.
 */
export interface QueryStream extends AsyncIterable<DruidValue[][]> {
  readonly sqlQueryId: string;
  readonly columns: readonly DruidColumn[];
  /**
   * The next batch of rows as Druid sent them, undecoded, or null at the end of the result (with
   * the same truncation and error checks as the iterator, with which it shares its position).
   * Absent on streams whose rows are computed by the gateway (sorted, EXPLAIN, ...).
   */
  nextRaw?(): Promise<RawRows | null>;
  /** Stops reading and releases the connection (no DELETE); safe to call twice. */
  close(): Promise<void>;
}

export interface BackendInfo {
  kind: 'druid' | 'polaris';
  version: string | null;
  /** The tables SQL sees (INFORMATION_SCHEMA.TABLES). */
  tables: string[];
  /** Polaris: tables its Tables API declares that SQL does not see yet (no data). */
  tablesWithoutData?: string[];
}

/** One entry of a Tables API listing (Polaris' TableSummaryPayload). */
export interface DeclaredTableSummary {
  name: string;
  totalRows: number;
}

/** One column of a table's queryableSchema; dataType is the document's TableColumnDataType. */
export interface DeclaredColumn {
  name: string;
  dataType: string;
}

/**
 * Polaris' Tables API (docs/polaris.md, "Discovery"): tables exist, with a declared schema, before
 * SQL sees them (INFORMATION_SCHEMA lists only tables with data).
 */
export interface TableDirectory {
  list(credential: BackendCredential): Promise<DeclaredTableSummary[]>;
  /** The table's queryable schema, or undefined when the table no longer exists. */
  columns(credential: BackendCredential, name: string): Promise<DeclaredColumn[] | undefined>;
}

export interface Backend {
  readonly kind: 'druid' | 'polaris';
  query(request: QueryRequest): Promise<QueryStream>;
  /** Best-effort DELETE of a running query by its sqlQueryId (Druid); Polaris has no such route. */
  cancel(sqlQueryId: string, credential: BackendCredential): Promise<void>;
  /** Connectivity and credential check (for `polaris-pg check` and health). */
  info(credential: BackendCredential): Promise<BackendInfo>;
  /** Tables declared apart from SQL (Polaris' Tables API); absent on Druid. */
  readonly tableDirectory?: TableDirectory;
  /** Batch ingestion for writes (docs/writes.md); absent when the backend takes none. */
  readonly ingestion?: Ingestion;
  close(): Promise<void>;
}
