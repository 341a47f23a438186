/**
 * Polaris' asynchronous statements API (docs/polaris.md, "Asynchronous queries"), the only way to
 * query data that is not cached: POST {project}/query/sql/statements (queryAsync), polled with
 * GET .../statements/{queryId} (queryAsyncStatus) until SUCCESS or FAILED, then the result read one
 * page at a time with GET .../statements/{queryId}/results?page=N&resultFormat=arrayLines. The pages
 * are fed, behind header lines built from the status' `schema`, to the same arrayLines reader as the
 * synchronous route, so a page is pulled only as fast as rows are consumed and a page that ends
 * without its blank trailer line fails the query (never a short result). Aborting the signal
 * (CancelRequest, statement_timeout) sends DELETE .../statements/{queryId}.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'undici';
import { pgErrorFromDruid } from '../errors/druid.js';
import { pgErrorFromTransport } from '../errors/map.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { SIDE_REQUEST_TIMEOUT_MS } from './http.js';
import { stringifyJson } from './json-writer.js';
import { openResultStream, type ByteSource } from './result-stream.js';
import { DEFAULT_QUERY_CONTEXT } from './sql-request.js';
import { sendAuthorized, type RouteRequest, type SqlEndpoint, type SqlHttp } from './sql-http.js';
import type { AsyncProgress, QueryRequest, QueryStream } from '../schema/druid.js';

/** The first status poll comes after this long; each next one waits twice as long, up to the maximum. */
const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 1_000;
const LF = 0x0a;

type Body = Awaited<ReturnType<typeof sendAuthorized>>;

interface StatusColumn {
  name: string;
  type: string;
  nativeType?: string | null;
}

interface Status {
  queryId: string;
  state: string;
  schema?: StatusColumn[];
  result?: { numTotalRows?: number; pages?: { id: number; numRows?: number }[] };
  errorDetails?: unknown;
}

export async function runAsyncStatement(endpoint: SqlEndpoint, http: SqlHttp, projectBase: string, request: QueryRequest, onProgress: (p: AsyncProgress) => void): Promise<QueryStream> {
  const { signal, credential } = request;
  const context = { ...DEFAULT_QUERY_CONTEXT, ...endpoint.baseContext, ...request.context };
  const given = context.sqlQueryId;
  const queryId = typeof given === 'string' && given !== '' ? given : randomUUID();
  const statements = `${projectBase}/query/sql/statements`;
  const statementUrl = `${statements}/${encodeURIComponent(queryId)}`;
  const mapError = (err: unknown): PgError => (signal?.aborted === true ? abortError(signal) : err instanceof PgError ? err : pgErrorFromTransport(err, { target: endpoint.target }));
  const send = (route: RouteRequest): Promise<Body> => sendAuthorized(endpoint, http, credential, route, signal, mapError, (status, text) => statementError(endpoint, status, text));
  const json = async (route: RouteRequest): Promise<Status> => {
    const chunks: Buffer[] = [];
    for await (const chunk of await send(route)) chunks.push(chunk);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Status;
  };
  let submitted = false;
  const cancel = (): void => {
    if (submitted) void deleteStatement(endpoint, http, request, statementUrl);
  };
  signal?.addEventListener('abort', cancel, { once: true });
  const release = (): void => signal?.removeEventListener('abort', cancel);
  try {
    if (signal?.aborted === true) throw abortError(signal);
    const body = stringifyJson({ query: request.sql, context: { ...context, sqlQueryId: queryId }, parameters: request.parameters.map((p) => ({ type: p.type, value: p.value })) });
    submitted = true;
    let status = await json({ method: 'POST', url: statements, json: body, accept: 'application/json' });
    let wait = FIRST_POLL_MS;
    let reported = '';
    while (status.state === 'ACCEPTED' || status.state === 'RUNNING') {
      if (status.state !== reported) onProgress({ queryId, state: status.state });
      reported = status.state;
      await sleep(wait, signal);
      wait = Math.min(wait * 2, MAX_POLL_MS);
      status = await json({ method: 'GET', url: statementUrl, accept: 'application/json' });
    }
    if (status.state !== 'SUCCESS') throw failed(status);
    const pages = status.result?.pages ?? [];
    onProgress({ queryId, state: status.state, rows: status.result?.numTotalRows ?? 0, pages: pages.length });
    const fetchPage = (id: number): Promise<Body> =>
      send({ method: 'GET', url: `${statementUrl}/results?page=${id}&resultFormat=arrayLines`, accept: 'text/plain, application/json' });
    return await openResultStream(pagedBody(headerLines(status.schema ?? []), pages.map((p) => p.id), fetchPage), { sqlQueryId: queryId, mapError, onDone: release, ...(signal === undefined ? {} : { signal }) });
  } catch (err) {
    release();
    throw mapError(err);
  }
}

/** The three header lines Druid sends with header, typesHeader and sqlTypesHeader. */
function headerLines(schema: readonly StatusColumn[]): Buffer {
  const names = JSON.stringify(schema.map((c) => c.name));
  const natives = JSON.stringify(schema.map((c) => c.nativeType ?? null));
  const sqlTypes = JSON.stringify(schema.map((c) => c.type));
  return Buffer.from(`${names}\n${natives}\n${sqlTypes}\n`, 'utf8');
}

/**
 * One arrayLines body made of the pages: each page's rows without its blank trailer line (held back
 * one byte at a time and checked), and one trailer after the last page. A page that ends without
 * its trailer ends the body there, which the reader reports as truncated.
 */
function pagedBody(header: Buffer, pageIds: readonly number[], fetchPage: (id: number) => Promise<Body>): ByteSource {
  let current: ByteSource | undefined;
  async function* bytes(): AsyncGenerator<Uint8Array> {
    yield header;
    for (const id of pageIds) {
      const page = await fetchPage(id);
      current = page;
      // The last two bytes seen: a complete page ends with "\n\n" (or is "\n" when empty).
      let held: number | undefined;
      let beforeHeld: number | undefined;
      let length = 0;
      for await (const chunk of page) {
        if (chunk.length === 0) continue;
        if (held !== undefined) yield Uint8Array.of(held);
        if (chunk.length > 1) yield chunk.subarray(0, chunk.length - 1);
        beforeHeld = chunk.length > 1 ? chunk[chunk.length - 2] : held;
        held = chunk[chunk.length - 1];
        length += chunk.length;
      }
      const complete = held === LF && (length === 1 || beforeHeld === LF);
      if (!complete) return;
    }
    yield Uint8Array.of(LF);
  }
  const iterator = bytes();
  return {
    [Symbol.asyncIterator]: () => iterator,
    destroy: () => {
      current?.destroy();
      void iterator.return(undefined);
    },
  };
}

/** Best-effort DELETE of the statement (202 while running, 200 once finished, 404 unknown). */
async function deleteStatement(endpoint: SqlEndpoint, http: SqlHttp, request: QueryRequest, url: string): Promise<void> {
  http.stats.cancelRequests++;
  try {
    const [authorization] = await endpoint.authorizations(request.credential);
    const response = await httpRequest(url, {
      method: 'DELETE',
      dispatcher: http.dispatcher,
      headers: authorization === undefined ? {} : { authorization },
      headersTimeout: SIDE_REQUEST_TIMEOUT_MS,
      bodyTimeout: SIDE_REQUEST_TIMEOUT_MS,
      signal: AbortSignal.timeout(SIDE_REQUEST_TIMEOUT_MS),
    });
    await response.body.dump();
    if (response.statusCode >= 300 && response.statusCode !== 404) http.stats.cancelFailures++;
  } catch {
    http.stats.cancelFailures++;
  }
}

/** A refused submit answers `{taskId, state: "FAILED", error: <Druid error>}`; platform errors as on /query/sql. */
function statementError(endpoint: SqlEndpoint, status: number, text: string): PgError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const inner = (parsed as { error?: unknown } | undefined)?.error;
  if (typeof inner === 'object' && inner !== null && 'errorMessage' in inner) return pgErrorFromDruid(status, JSON.stringify(inner));
  return endpoint.responseError(status, text);
}

function failed(status: Status): PgError {
  if (status.errorDetails !== undefined) return pgErrorFromDruid(400, JSON.stringify(status.errorDetails));
  return new PgError(SqlState.InternalError, `the Polaris statement ${status.queryId} ended in state ${status.state}`);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): PgError {
  return pgErrorFromTransport(signal.reason instanceof PgError ? signal.reason : new DOMException('aborted', 'AbortError'));
}
