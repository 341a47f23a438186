/**
 * Validation mode (docs/polaris-local.md, "Validation mode"): every request to the Polaris API routes
 * and every answer polaris-local sends is handed, whole, to a check (the tests pass one that validates
 * against the OpenAPI extract, test/support/openapi.ts). Problems are kept in memory and appended to
 * `openapi-problems.ndjson` in the state directory as they happen; the number of exchanges checked and
 * of problems is written to `openapi-checked.json` on close. Neither credentials nor headers other
 * than Content-Type reach the check or the record.
 */
import { appendFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readAheadBody } from './http-util.js';
import type { JsonStore } from './store.js';

/** One HTTP exchange as the check sees it. */
export interface Exchange {
  method: string;
  /** The URL path without the query string. */
  path: string;
  query: URLSearchParams;
  requestContentType: string | null;
  requestBody: string;
  status: number;
  responseContentType: string | null;
  /** Undefined when the caller left before the answer was complete, or it was over MAX_KEPT_BYTES. */
  responseBody: string | undefined;
}

/** The ways an exchange departs from the document (empty when it conforms). */
export type ExchangeCheck = (exchange: Exchange) => string[];

export interface Problem {
  method: string;
  /** The route's template (e.g. /v1/projects/{projectId}/tables/{tableName}), else the path. */
  route: string;
  status: number;
  problem: string;
}

export interface Validation {
  readonly problems: Problem[];
  /** Exchanges checked, per `METHOD route status`. */
  readonly seen: Map<string, number>;
  /** Writes openapi-checked.json. */
  close(): void;
}

export const PROBLEMS_FILE = 'openapi-problems.ndjson';
export const SUMMARY_FILE = 'openapi-checked.json';
/** Answers larger than this are checked by status only (a test's result pages are far smaller). */
export const MAX_KEPT_BYTES = 64 * 1024 * 1024;

export function createValidation(store: JsonStore): Validation {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  return {
    problems,
    seen,
    close() {
      let checked = 0;
      for (const n of seen.values()) checked += n;
      store.write(SUMMARY_FILE, { checked, problems: problems.length });
    },
  };
}

/**
 * Starts watching one exchange: keeps what the response writes, reads the request body ahead of the
 * handler (it gets the same bytes through readBody), and checks both once the response is closed.
 */
export async function watchExchange(req: IncomingMessage, res: ServerResponse, url: URL, route: string, check: ExchangeCheck, validation: Validation, store: JsonStore): Promise<void> {
  const kept = keepResponse(res);
  let requestBody = '';
  res.once('close', () => {
    const exchange: Exchange = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      requestContentType: req.headers['content-type'] ?? null,
      requestBody,
      status: res.statusCode,
      responseContentType: headerText(res.getHeader('content-type')),
      responseBody: res.writableFinished ? kept() : undefined,
    };
    const key = `${exchange.method} ${route} ${exchange.status}`;
    validation.seen.set(key, (validation.seen.get(key) ?? 0) + 1);
    for (const text of check(exchange)) {
      const problem: Problem = { method: exchange.method, route, status: exchange.status, problem: text };
      validation.problems.push(problem);
      appendFileSync(store.path(PROBLEMS_FILE), `${JSON.stringify(problem)}\n`);
    }
  });
  requestBody = (await readAheadBody(req)).toString('utf8');
}

function headerText(value: number | string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** Wraps res.write and res.end to keep a copy of the body; the returned function gives it as text. */
function keepResponse(res: ServerResponse): () => string | undefined {
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown, encoding: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > MAX_KEPT_BYTES) return;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    chunks.push(buf);
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return write(...args);
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return end(...args);
  }) as ServerResponse['end'];
  return () => (size > MAX_KEPT_BYTES ? undefined : Buffer.concat(chunks).toString('utf8'));
}
