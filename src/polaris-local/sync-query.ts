/**
 * POST /v1/projects/{projectId}/query/sql (querySync): the request body goes to Druid's
 * /druid/v2/sql byte for byte (bigint parameters stay exact) and Druid's status, result headers and
 * bytes come back unchanged. A synchronous Polaris query has no cancel route; when the caller closes
 * the connection early the Druid request is abandoned and the abort recorded (./debug.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { recordQuery, type Debug } from './debug.js';
import type { Route } from './router.js';
import { isRecord, parseObject, readBody, writeChunk } from './http-util.js';

/** Druid's status for a query that failed at run time, and the document's status for a query error. */
const DRUID_RUNTIME_FAILURE = 500;
const QUERY_ERROR = 400;

/** Druid response headers a Polaris query answer carries on. */
const PASSED_HEADERS = ['content-type', 'x-druid-sql-query-id', 'x-druid-sql-header-included'];

export async function handleSyncQuery(req: IncomingMessage, res: ServerResponse, druidUrl: string, debug: Debug): Promise<void> {
  const body = await readBody(req);
  const parsed = parseObject(body);
  const context = isRecord(parsed?.context) ? parsed.context : {};
  const record = recordQuery(debug, {
    sqlQueryId: typeof context.sqlQueryId === 'string' ? context.sqlQueryId : null,
    timeoutMs: typeof context.timeout === 'number' ? context.timeout : null,
    aborted: false,
    status: null,
    done: false,
  });
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) {
      record.aborted = true;
      abort.abort();
    }
    record.done = true;
  });
  try {
    if (debug.queryHoldMs > 0) await sleep(debug.queryHoldMs, undefined, { signal: abort.signal });
    const upstream = await request(`${druidUrl.replace(/\/+$/, '')}/druid/v2/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: req.headers.accept ?? 'application/json' },
      body,
      signal: abort.signal,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    // Druid answers a query that fails while it runs with 500; the document gives this route 200
    // and 400 (a query's own error) only, so such a failure is a 400 with Druid's error body.
    const status = upstream.statusCode === DRUID_RUNTIME_FAILURE ? QUERY_ERROR : upstream.statusCode;
    record.status = status;
    const headers: Record<string, string> = {};
    for (const name of PASSED_HEADERS) {
      const value = upstream.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    res.writeHead(status, headers);
    for await (const chunk of upstream.body) await writeChunk(res, chunk as Buffer);
    res.end();
  } catch (err) {
    if (abort.signal.aborted) return;
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'BadGateway', message: `Druid could not be reached: ${(err as Error).message}` }));
    } else {
      res.destroy(err as Error);
    }
  }
}

export const syncQueryRoutes = (services: { options: { druidUrl: string }; debug: Debug }): { routes: Route[] } => ({
  routes: [{ method: 'POST', template: '/query/sql', handle: ({ req, res }) => handleSyncQuery(req, res, services.options.druidUrl, services.debug) }],
});
