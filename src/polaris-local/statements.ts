/**
 * The asynchronous statements API (docs/polaris-local.md, "Asynchronous SQL"):
 * POST /query/sql/statements (queryAsync), GET .../{queryId} (queryAsyncStatus),
 * GET .../{queryId}/results?page=N&resultFormat=F (queryAsyncResults) and DELETE .../{queryId}
 * (queryAsyncCancel). The query runs on Druid; its pages are kept under --state-dir.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { sendNotFound } from './errors.js';
import { isRecord, parseObject, readBody, sendEmpty, sendJson } from './http-util.js';
import { RESULT_FORMATS, renderRows, type ResultFormat } from './json-rows.js';
import type { Route } from './router.js';
import type { RouteModule } from './server.js';
import { canceled, DEFAULT_ROWS_PER_PAGE, pageFile, runStatement, statusFile, type RunHandle, type StatementStatus } from './statement-run.js';
import type { JsonStore } from './store.js';

/** How long a submit waits for Druid to accept or refuse the query before answering ACCEPTED. */
const SUBMIT_WAIT_MS = 1_000;
const ID = /^[A-Za-z0-9._:-]{1,200}$/;

function sqlError(category: string, errorCode: string, errorMessage: string): Record<string, unknown> {
  return { error: 'druidException', errorCode, persona: 'USER', category, errorMessage, context: {} };
}

function view(status: StatementStatus): Record<string, unknown> {
  return {
    queryId: status.queryId,
    state: status.state,
    createdAt: status.createdAt,
    durationMs: status.durationMs,
    schema: status.schema,
    ...(status.state === 'SUCCESS'
      ? { result: { numTotalRows: status.numTotalRows, totalSizeInBytes: status.totalSizeInBytes, dataSource: '__query_select', sampleRecords: [], pages: status.pages } }
      : {}),
    ...(status.errorDetails === undefined ? {} : { errorDetails: status.errorDetails }),
  };
}

export const statementRoutes: RouteModule = ({ store, options, debug }) => {
  const running = new Map<string, RunHandle & { status: StatementStatus }>();
  const load = (queryId: string): StatementStatus | undefined => {
    const live = running.get(queryId);
    if (live !== undefined) return live.status;
    if (!ID.test(queryId)) return undefined;
    const status = store.read<StatementStatus | undefined>(statusFile(queryId), undefined);
    if (status !== undefined && (status.state === 'RUNNING' || status.state === 'ACCEPTED') && !running.has(queryId)) {
      // Left running by an earlier polaris-local process.
      status.state = 'FAILED';
      status.errorDetails = sqlError('RUNTIME_FAILURE', 'runtimeFailure', 'polaris-local restarted while the query ran');
      store.write(statusFile(queryId), status);
    }
    return status;
  };
  const notFound = (res: ServerResponse, queryId: string): void => sendJson(res, 404, sqlError('INVALID_INPUT', 'notFound', `Query [${queryId}] was not found, failed or was canceled.`));
  const routes: Route[] = [
    {
      method: 'POST',
      template: '/query/sql/statements',
      handle: async ({ req, res }) => {
        const body = parseObject(await readBody(req));
        if (body === undefined || typeof body.query !== 'string') {
          return sendJson(res, 400, { state: 'FAILED', error: sqlError('INVALID_INPUT', 'invalidInput', 'The body must be a JSON object with a string query.') });
        }
        const context = isRecord(body.context) ? body.context : {};
        const queryId = typeof context.sqlQueryId === 'string' && ID.test(context.sqlQueryId) ? context.sqlQueryId : randomUUID();
        if (store.read<unknown>(statusFile(queryId), undefined) !== undefined) {
          return sendJson(res, 400, { taskId: queryId, state: 'FAILED', error: sqlError('INVALID_INPUT', 'invalidInput', `Query ID [${queryId}] is in use.`) });
        }
        const rowsPerPage = typeof context.rowsPerPage === 'number' && Number.isInteger(context.rowsPerPage) && context.rowsPerPage > 0 ? context.rowsPerPage : DEFAULT_ROWS_PER_PAGE;
        const status: StatementStatus = { queryId, state: 'ACCEPTED', createdAt: new Date().toISOString(), durationMs: 0, schema: [], pages: [], numTotalRows: 0, totalSizeInBytes: 0 };
        store.write(statusFile(queryId), status);
        const run = runStatement(store, options.druidUrl, status, { query: body.query, context: { ...context, sqlQueryId: queryId }, parameters: body.parameters ?? [] }, rowsPerPage, debug.statementHoldMs);
        running.set(queryId, { ...run, status });
        void run.done.finally(() => running.delete(queryId));
        const started = await Promise.race([run.started, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SUBMIT_WAIT_MS).unref())]);
        if (started !== undefined && started.status >= 400 && started.status < 500) {
          return sendJson(res, 400, { taskId: queryId, state: 'FAILED', error: status.errorDetails ?? {} });
        }
        sendJson(res, 200, view(status));
      },
    },
    {
      method: 'GET',
      template: '/query/sql/statements/{queryId}',
      handle: ({ res, params }) => {
        const status = load(params[0] ?? '');
        // The document declares no 404 body for the status route: the platform error shape.
        if (status === undefined) return sendNotFound(res, `Query ${params[0] ?? ''}`);
        sendJson(res, 200, view(status));
      },
    },
    {
      method: 'DELETE',
      template: '/query/sql/statements/{queryId}',
      handle: ({ res, params }) => {
        const queryId = params[0] ?? '';
        const status = load(queryId);
        if (status === undefined) return notFound(res, queryId);
        const run = running.get(queryId);
        if (run === undefined) return sendEmpty(res, 200);
        run.abort();
        status.state = 'FAILED';
        status.errorDetails = canceled(queryId);
        sendEmpty(res, 202);
      },
    },
    {
      method: 'GET',
      template: '/query/sql/statements/{queryId}/results',
      handle: ({ res, url, params }) => sendResults(store, res, url, load(params[0] ?? ''), () => notFound(res, params[0] ?? '')),
    },
  ];
  return {
    routes,
    stop: async () => {
      for (const run of running.values()) run.abort();
      await Promise.allSettled([...running.values()].map((r) => r.done));
    },
  };
};

function sendResults(store: JsonStore, res: ServerResponse, url: URL, status: StatementStatus | undefined, notFound: () => void): void {
  if (status === undefined || status.state === 'FAILED') return notFound();
  if (status.state !== 'SUCCESS') {
    return sendJson(res, 400, sqlError('INVALID_INPUT', 'invalidInput', `Query [${status.queryId}] is in state [${status.state}]: wait for it to complete.`));
  }
  const format = (url.searchParams.get('resultFormat') ?? 'object') as ResultFormat;
  if (!RESULT_FORMATS.includes(format)) return sendJson(res, 400, sqlError('INVALID_INPUT', 'invalidInput', `resultFormat must be one of ${RESULT_FORMATS.join(', ')}`));
  const pageParam = url.searchParams.get('page');
  const page = pageParam === null ? undefined : Number(pageParam);
  if (page !== undefined && (!Number.isInteger(page) || page < 0 || page >= Math.max(status.pages.length, 1))) {
    return sendJson(res, 400, sqlError('INVALID_INPUT', 'invalidInput', `Invalid page id [${pageParam ?? ''}]: the result has ${status.pages.length} pages.`));
  }
  const ids = page === undefined ? status.pages.map((p) => p.id) : status.pages.filter((p) => p.id === page).map((p) => p.id);
  const rows = ids.flatMap((id) => readFileSync(store.path(pageFile(status.queryId, id)), 'utf8').split('\n'));
  const rendered = renderRows(rows, status.schema.map((c) => c.name), format);
  const filename = url.searchParams.get('filename');
  res.writeHead(200, { 'content-type': rendered.contentType, ...(filename === null ? {} : { 'content-disposition': `attachment; filename="${filename.replace(/["\\\r\n]/g, '_')}"` }) });
  res.end(rendered.body);
}
