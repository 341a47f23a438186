/**
 * The HTTP exchange shared by the Druid and Polaris clients: run one SQL statement and stream
 * its result, cancel by sqlQueryId, and the connectivity check behind Backend.info().
 */
import { request as httpRequest, type Dispatcher } from 'undici';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { pgErrorFromTransport } from '../errors/map.js';
import { SIDE_REQUEST_TIMEOUT_MS } from './http.js';
import { openResultStream } from './result-stream.js';
import { buildSqlRequestBody } from './sql-request.js';
import type { BackendCredential, DruidValue, QueryRequest, QueryStream } from '../schema/druid.js';

const HTTP_UNAUTHORIZED = 401;
const HTTP_NOT_FOUND = 404;
/** Error bodies are read up to this many bytes. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** The table list of Backend.info(): Druid's datasources. */
export const LIST_TABLES_SQL = "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'druid'";

/** Where and how one backend is reached. */
export interface SqlEndpoint {
  /** POST target for SQL statements. */
  queryUrl: string;
  /**
   * DELETE target that cancels a running statement; absent when the backend has none (Polaris'
   * synchronous route: docs/polaris.md, "Cancel"), where aborting the HTTP request is all there is.
   */
  cancelUrl?(sqlQueryId: string): string;
  /** "host:port", used in error messages. */
  target: string;
  /** Authorization header values to try in order: a 401 moves on to the next one. */
  authorizations(credential: BackendCredential): Array<string | undefined> | Promise<Array<string | undefined>>;
  /**
   * Told of a 401 to the last candidate; true when asking authorizations() again may help (an
   * expired OAuth token was dropped). Asked at most once per statement.
   */
  renew?(credential: BackendCredential, body: string, authorization: string | undefined): boolean;
  /** Told which candidate of authorizations() the backend accepted. */
  accepted?(credential: BackendCredential, index: number): void;
  /** Context keys every statement gets unless its request sets them. */
  baseContext?: QueryRequest['context'];
  /** Maps a non-2xx response of the query route to a PgError. */
  responseError(status: number, body: string): PgError;
}

/** Counters of best-effort cancel requests (their errors are swallowed). */
export interface CancelStats {
  cancelRequests: number;
  cancelFailures: number;
}

export interface SqlHttp {
  dispatcher: Dispatcher;
  stats: CancelStats;
  maxBatchRows?: number;
  maxLineBytes?: number;
}

/** Runs one statement; resolves once the three header lines are read. */
export async function runSqlQuery(endpoint: SqlEndpoint, http: SqlHttp, request: QueryRequest): Promise<QueryStream> {
  const { sqlQueryId, json } = buildSqlRequestBody({ ...request, context: { ...endpoint.baseContext, ...request.context } });
  const { signal, credential } = request;
  if (signal?.aborted === true) throw abortError(signal);
  const cancel = (): void => void cancelSqlQuery(endpoint, http, sqlQueryId, credential);
  signal?.addEventListener('abort', cancel, { once: true });
  const release = (): void => signal?.removeEventListener('abort', cancel);
  const mapError = (err: unknown): PgError => {
    if (signal?.aborted === true) return abortError(signal);
    const mapped = pgErrorFromTransport(err, { target: endpoint.target });
    if (mapped.code === SqlState.QueryCanceled) cancel();
    return mapped;
  };
  try {
    const body = await postQuery(endpoint, http, credential, json, signal, mapError);
    return await openResultStream(body, {
      sqlQueryId,
      mapError,
      onDone: release,
      ...(signal === undefined ? {} : { signal }),
      ...(http.maxBatchRows === undefined ? {} : { maxBatchRows: http.maxBatchRows }),
      ...(http.maxLineBytes === undefined ? {} : { maxLineBytes: http.maxLineBytes }),
    });
  } catch (err) {
    release();
    throw err instanceof PgError ? err : mapError(err);
  }
}

/** One request to a backend route: POST with a JSON body, or GET. */
export interface RouteRequest {
  method: 'GET' | 'POST';
  url: string;
  /** JSON text of a POST. */
  json?: string;
  accept: string;
}

function postQuery(
  endpoint: SqlEndpoint,
  http: SqlHttp,
  credential: BackendCredential,
  json: string,
  signal: AbortSignal | undefined,
  mapError: (err: unknown) => PgError,
): Promise<Dispatcher.ResponseData['body']> {
  const route: RouteRequest = { method: 'POST', url: endpoint.queryUrl, json, accept: 'text/plain, application/json' };
  return sendAuthorized(endpoint, http, credential, route, signal, mapError);
}

/**
 * Sends one request with the credential's Authorization candidates in order (a 401 moves on, and an
 * expired OAuth token is renewed once); resolves with the body of a 2xx answer, else throws
 * endpoint.responseError, or the error of `refused(status, text)` when it returns one.
 */
export async function sendAuthorized(
  endpoint: SqlEndpoint,
  http: SqlHttp,
  credential: BackendCredential,
  route: RouteRequest,
  signal: AbortSignal | undefined,
  mapError: (err: unknown) => PgError,
  refused: (status: number, text: string) => PgError = endpoint.responseError,
): Promise<Dispatcher.ResponseData['body']> {
  let candidates = await endpoint.authorizations(credential);
  let renewed = false;
  for (let i = 0; ; i++) {
    let response: Dispatcher.ResponseData;
    try {
      response = await httpRequest(route.url, {
        method: route.method,
        dispatcher: http.dispatcher,
        headers: headers(candidates[i], route.json === undefined ? { accept: route.accept } : { 'content-type': 'application/json', accept: route.accept }),
        ...(route.json === undefined ? {} : { body: route.json }),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (err) {
      // Never sent again, even when the connection closed before any response: the backend may
      // have started the statement. Idle pooled sockets are dropped by the Agent before the
      // server's idle timeout (src/backend/http.ts), so a stale socket is not the likely cause.
      throw mapError(err);
    }
    if (isSuccess(response.statusCode)) {
      endpoint.accepted?.(credential, i);
      return response.body;
    }
    const text = await readErrorBody(response.body).catch((err: unknown) => {
      throw mapError(err);
    });
    if (response.statusCode !== HTTP_UNAUTHORIZED) throw refused(response.statusCode, text);
    if (i + 1 < candidates.length) continue;
    if (renewed || endpoint.renew?.(credential, text, candidates[i]) !== true) throw refused(response.statusCode, text);
    renewed = true;
    candidates = await endpoint.authorizations(credential);
    i = -1;
  }
}

/** Best-effort DELETE of a running statement where the backend has a cancel route; failures are counted, never thrown. */
export async function cancelSqlQuery(
  endpoint: SqlEndpoint,
  http: SqlHttp,
  sqlQueryId: string,
  credential: BackendCredential,
): Promise<void> {
  if (endpoint.cancelUrl === undefined) return;
  http.stats.cancelRequests++;
  try {
    const response = await httpRequest(endpoint.cancelUrl(sqlQueryId), {
      method: 'DELETE',
      dispatcher: http.dispatcher,
      headers: headers((await endpoint.authorizations(credential))[0], {}),
      headersTimeout: SIDE_REQUEST_TIMEOUT_MS,
      bodyTimeout: SIDE_REQUEST_TIMEOUT_MS,
      signal: AbortSignal.timeout(SIDE_REQUEST_TIMEOUT_MS),
    });
    await response.body.dump();
    // 404: the statement already finished (docs/druid-api.md "Cancellation").
    if (!isSuccess(response.statusCode) && response.statusCode !== HTTP_NOT_FOUND) http.stats.cancelFailures++;
  } catch {
    http.stats.cancelFailures++;
  }
}

/** Runs LIST_TABLES_SQL and returns the first column of every row. */
export async function listTables(endpoint: SqlEndpoint, http: SqlHttp, credential: BackendCredential): Promise<string[]> {
  const stream = await runSqlQuery(endpoint, http, { sql: LIST_TABLES_SQL, parameters: [], context: {}, credential });
  const tables: string[] = [];
  for await (const batch of stream) {
    for (const row of batch) tables.push(String(row[0] as DruidValue));
  }
  return tables;
}

/** GET a small JSON document (e.g. Druid's /status); undefined when unreachable or not JSON. */
export async function getJson(url: string, http: SqlHttp, authorization: string | undefined): Promise<unknown> {
  try {
    const response = await httpRequest(url, {
      method: 'GET',
      dispatcher: http.dispatcher,
      headers: headers(authorization, { accept: 'application/json' }),
      headersTimeout: SIDE_REQUEST_TIMEOUT_MS,
      bodyTimeout: SIDE_REQUEST_TIMEOUT_MS,
      signal: AbortSignal.timeout(SIDE_REQUEST_TIMEOUT_MS),
    });
    if (!isSuccess(response.statusCode)) {
      await response.body.dump();
      return undefined;
    }
    return (await response.body.json()) as unknown;
  } catch {
    return undefined;
  }
}

/** Parses a configured backend base URL: http(s) only, and credentials belong in the credential. */
export function parseBaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PgError(SqlState.SqlClientUnableToEstablishConnection, 'the backend URL is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new PgError(SqlState.SqlClientUnableToEstablishConnection, `the backend URL must use http or https, not ${parsed.protocol}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new PgError(SqlState.SqlClientUnableToEstablishConnection, 'the backend URL must not contain credentials', {
      hint: 'Configure them as the backend credential instead.',
    });
  }
  return parsed;
}

/** "host:port" of a URL, with the scheme's default port when none is given. */
export function targetOf(url: URL): string {
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  return `${url.hostname}:${port}`;
}

/** base + path, with any trailing '/' of base removed. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

function headers(authorization: string | undefined, base: Record<string, string>): Record<string, string> {
  return authorization === undefined ? base : { ...base, authorization };
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function abortError(signal: AbortSignal): PgError {
  return pgErrorFromTransport(signal.reason instanceof PgError ? signal.reason : new DOMException('aborted', 'AbortError'));
}

async function readErrorBody(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_ERROR_BODY_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
