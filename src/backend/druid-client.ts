/**
 * Apache Druid SQL backend: POST {url}/druid/v2/sql, cancel with DELETE /druid/v2/sql/{id}
 * (docs/druid-api.md "Endpoints and authentication", "Cancellation"), version from the Router/Broker's GET /status.
 */
import type { Dispatcher } from 'undici';
import { pgErrorFromDruid } from '../errors/druid.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { authorizationHeader } from './auth.js';
import { createDruidIngestion } from './druid-ingest.js';
import { createHttpAgent, type HttpTimeouts } from './http.js';
import {
  cancelSqlQuery,
  getJson,
  joinUrl,
  listTables,
  parseBaseUrl,
  runSqlQuery,
  targetOf,
  type CancelStats,
  type SqlEndpoint,
  type SqlHttp,
} from './sql-http.js';
import type { Backend, BackendCredential, BackendInfo, QueryRequest, QueryStream } from '../schema/druid.js';

export interface DruidBackendOptions {
  /** Router or Broker base URL, e.g. http://localhost:8888 (a trailing '/' is allowed). */
  url: string;
  /** A dispatcher to use instead of an own keep-alive Agent; not closed by close(). */
  agent?: Dispatcher;
  /** Timeouts of the own Agent (ignored when `agent` is given). */
  timeouts?: Partial<HttpTimeouts>;
  /** Used when a request's credential is { kind: 'none' }. */
  defaultCredential?: BackendCredential;
  /** Rows per batch of a QueryStream (default 1024). */
  maxBatchRows?: number;
  /** Longest result line (one row) in bytes before the query fails with 54000. */
  maxLineBytes?: number;
  /** Overlord base URL for ingestion tasks (writes); default: `url`. */
  overlordUrl?: string;
}

/** A Backend plus counters of best-effort cancels. */
export interface HttpBackend extends Backend {
  readonly stats: Readonly<CancelStats>;
  /** The agent its requests go through. */
  readonly dispatcher: Dispatcher;
}

export function createDruidBackend(options: DruidBackendOptions): HttpBackend {
  const base = parseBaseUrl(options.url);
  const endpoint: SqlEndpoint = {
    queryUrl: joinUrl(options.url, '/druid/v2/sql'),
    cancelUrl: (id) => joinUrl(options.url, `/druid/v2/sql/${encodeURIComponent(id)}`),
    target: targetOf(base),
    authorizations: (credential) => [authorizationHeader(credential)],
    responseError: pgErrorFromDruid,
  };
  const backend = createHttpBackend('druid', endpoint, options, async (http, credential) => {
    const status = await getJson(joinUrl(options.url, '/status'), http, authorizationHeader(credential));
    const version = (status as { version?: unknown } | undefined)?.version;
    return typeof version === 'string' ? version : null;
  });
  const ingestion = createDruidIngestion({
    url: options.overlordUrl ?? options.url,
    dispatcher: backend.dispatcher,
    resolve: (credential) => (credential.kind === 'none' && options.defaultCredential !== undefined ? options.defaultCredential : credential),
  });
  return { ...backend, ingestion };
}

/** The Backend object shared by the Druid and Polaris clients. */
export function createHttpBackend(
  kind: 'druid' | 'polaris',
  endpoint: SqlEndpoint,
  options: Pick<DruidBackendOptions, 'agent' | 'timeouts' | 'defaultCredential' | 'maxBatchRows' | 'maxLineBytes'>,
  version: (http: SqlHttp, credential: BackendCredential) => Promise<string | null>,
): HttpBackend {
  const ownAgent = options.agent === undefined ? createHttpAgent(options.timeouts) : undefined;
  const stats: CancelStats = { cancelRequests: 0, cancelFailures: 0 };
  const http: SqlHttp = {
    dispatcher: options.agent ?? (ownAgent as Dispatcher),
    stats,
    ...(options.maxBatchRows === undefined ? {} : { maxBatchRows: options.maxBatchRows }),
    ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
  };
  const resolve = (credential: BackendCredential): BackendCredential =>
    credential.kind === 'none' && options.defaultCredential !== undefined ? options.defaultCredential : credential;
  return {
    kind,
    stats,
    dispatcher: http.dispatcher,
    query(request: QueryRequest): Promise<QueryStream> {
      if (request.async !== undefined) return Promise.reject(asyncRefused());
      return runSqlQuery(endpoint, http, { ...request, credential: resolve(request.credential) });
    },
    cancel(sqlQueryId: string, credential: BackendCredential): Promise<void> {
      return cancelSqlQuery(endpoint, http, sqlQueryId, resolve(credential));
    },
    async info(credential: BackendCredential): Promise<BackendInfo> {
      const effective = resolve(credential);
      const [tables, v] = await Promise.all([listTables(endpoint, http, effective), version(http, effective)]);
      return { kind, version: v, tables };
    },
    async close(): Promise<void> {
      await ownAgent?.close();
    },
  };
}

/** Asynchronous statements are Polaris' API (docs/polaris.md, "Asynchronous queries"); Druid 33's SQL API has no such route here. */
export function asyncRefused(): PgError {
  return new PgError(SqlState.FeatureNotSupported, 'polaris.query_mode = async needs a Polaris backend', {
    hint: 'Asynchronous deep-storage queries use the Polaris statements API; on Druid leave polaris.query_mode = sync.',
  });
}
