/**
 * Runs an asynchronous statement on Druid (POST /druid/v2/sql, arrayLines with the three header lines)
 * and writes its result under the state directory as pages of at most `rowsPerPage` rows
 * (statements/{queryId}/page-N.txt, arrayLines row text) next to its status (status.json). A result
 * without Druid's blank trailer line was cut and fails the statement.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { JsonStore } from './store.js';

export type StatementState = 'ACCEPTED' | 'RUNNING' | 'SUCCESS' | 'FAILED';

export interface StatementStatus {
  queryId: string;
  state: StatementState;
  createdAt: string;
  durationMs: number;
  schema: { name: string; type: string; nativeType: string }[];
  pages: { id: number; numRows: number; sizeInBytes: number }[];
  numTotalRows: number;
  totalSizeInBytes: number;
  /** Druid's error JSON of a failed statement. */
  errorDetails?: Record<string, unknown>;
}

/** Druid's MSQ statements default page size (context rowsPerPage). */
export const DEFAULT_ROWS_PER_PAGE = 100_000;

export function statusFile(queryId: string): string {
  return `statements/${queryId}/status.json`;
}

export function pageFile(queryId: string, page: number): string {
  return `statements/${queryId}/page-${page}.txt`;
}

export interface RunHandle {
  /** Resolves once Druid has answered the status line: the error JSON text when it refused the query. */
  started: Promise<{ status: number; error?: string }>;
  done: Promise<void>;
  abort(): void;
}

/** `holdMs` keeps the statement RUNNING that long before its result is read (a test route: docs/polaris-local.md). */
export function runStatement(store: JsonStore, druidUrl: string, status: StatementStatus, body: Record<string, unknown>, rowsPerPage: number, holdMs = 0): RunHandle {
  const abort = new AbortController();
  const startedAt = Date.now();
  const save = (): void => {
    status.durationMs = Date.now() - startedAt;
    store.write(statusFile(status.queryId), status);
  };
  let markStarted: (value: { status: number; error?: string }) => void = () => undefined;
  const started = new Promise<{ status: number; error?: string }>((resolve) => (markStarted = resolve));
  const done = (async (): Promise<void> => {
    try {
      const response = await request(`${druidUrl.replace(/\/+$/, '')}/druid/v2/sql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, resultFormat: 'arrayLines', header: true, typesHeader: true, sqlTypesHeader: true }),
        signal: abort.signal,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      if (response.statusCode !== 200) {
        const text = await response.body.text();
        fail(status, errorJson(text));
        save();
        markStarted({ status: response.statusCode, error: text });
        return;
      }
      status.state = 'RUNNING';
      save();
      markStarted({ status: 200 });
      if (holdMs > 0) await sleep(holdMs, undefined, { signal: abort.signal });
      await readPages(store, status, response.body, rowsPerPage);
      status.state = 'SUCCESS';
    } catch (err) {
      fail(status, abort.signal.aborted ? canceled(status.queryId) : { error: 'druidException', errorCode: 'runtimeFailure', persona: 'OPERATOR', category: 'RUNTIME_FAILURE', errorMessage: (err as Error).message, context: {} });
      markStarted({ status: 500, error: (err as Error).message });
    }
    save();
  })();
  return { started, done, abort: () => abort.abort() };
}

async function readPages(store: JsonStore, status: StatementStatus, body: AsyncIterable<Buffer>, rowsPerPage: number): Promise<void> {
  let pending = '';
  const headers: string[] = [];
  let page: string[] = [];
  let ended = false;
  const flush = (): void => {
    if (page.length === 0) return;
    const bytes = Buffer.from(page.join('\n'));
    const id = status.pages.length;
    store.writeBytes(pageFile(status.queryId, id), bytes);
    status.pages.push({ id, numRows: page.length, sizeInBytes: bytes.length });
    status.totalSizeInBytes += bytes.length;
    page = [];
    store.write(statusFile(status.queryId), status);
  };
  for await (const chunk of body) {
    pending += chunk.toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
      if (ended) throw new Error('Druid sent data after the end of the result');
      if (headers.length < 3) headers.push(line);
      else if (line === '') ended = true;
      else {
        page.push(line);
        status.numTotalRows++;
        if (page.length >= rowsPerPage) flush();
      }
      if (headers.length === 3 && status.schema.length === 0) status.schema = schemaOf(headers);
    }
  }
  if (!ended || pending !== '') throw new Error('the result from Druid was cut short');
  flush();
}

function schemaOf(headers: string[]): StatementStatus['schema'] {
  const [names, natives, sqlTypes] = headers.map((h) => JSON.parse(h) as (string | null)[]);
  return (names ?? []).map((name, i) => ({ name: name ?? '', type: sqlTypes?.[i] ?? 'VARCHAR', nativeType: natives?.[i] ?? 'STRING' }));
}

function fail(status: StatementStatus, error: Record<string, unknown>): void {
  status.state = 'FAILED';
  status.errorDetails = error;
}

export function canceled(queryId: string): Record<string, unknown> {
  return { error: 'druidException', errorCode: 'Canceled', persona: 'USER', category: 'CANCELED', errorMessage: `Query [${queryId}] was canceled.`, context: {} };
}

function errorJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { error: 'druidException', errorCode: 'runtimeFailure', persona: 'OPERATOR', category: 'RUNTIME_FAILURE', errorMessage: text, context: {} };
  }
}
