/**
 * Druid's Overlord task API as the ingestion contract (src/schema/ingest.ts): POST
 * /druid/indexer/v1/task, GET /druid/indexer/v1/task/{id}/status, GET /druid/indexer/v1/tasks.
 * https://druid.apache.org/docs/latest/api-reference/tasks-api
 */
import { request as httpRequest, type Dispatcher } from 'undici';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { pgErrorFromTransport } from '../errors/map.js';
import type { BackendCredential } from '../schema/druid.js';
import type { Ingestion, JobState, JobStatus } from '../schema/ingest.js';
import { authorizationHeader } from './auth.js';
import { appendTaskSpec, TASK_ID_PREFIX } from './druid-task-spec.js';
import { SIDE_REQUEST_TIMEOUT_MS } from './http.js';
import { joinUrl } from './sql-http.js';

/** How many tasks GET /druid/indexer/v1/tasks returns for polaris.jobs. */
const MAX_LISTED_TASKS = 200;
/** Error bodies are quoted up to this many characters. */
const MAX_ERROR_TEXT = 2000;

export interface DruidIngestionOptions {
  /** Overlord base URL (or a Router that proxies /druid/indexer). */
  url: string;
  dispatcher: Dispatcher;
  resolve(credential: BackendCredential): BackendCredential;
}

type Json = Record<string, unknown>;

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Druid's status codes WAITING, PENDING and RUNNING are all a job still under way. */
function stateOf(code: string | null): JobState {
  if (code === 'SUCCESS') return 'SUCCESS';
  if (code === 'FAILED') return 'FAILED';
  return 'RUNNING';
}

/** A task as /task/{id}/status (its `status` object) or /tasks (one element) describes it. */
export function jobStatusOf(task: Json): JobStatus {
  const duration = typeof task.duration === 'number' && task.duration >= 0 ? task.duration : null;
  const code = text(task.statusCode) ?? text(task.status);
  const state = stateOf(code);
  return {
    id: text(task.id) ?? '',
    dataSource: text(task.dataSource),
    type: text(task.type),
    state,
    status: code ?? 'RUNNING',
    health: null,
    errorMsg: text(task.errorMsg),
    createdTime: text(task.createdTime),
    durationMs: state === 'RUNNING' ? null : duration,
  };
}

export function createDruidIngestion(options: DruidIngestionOptions): Ingestion {
  const call = async (method: 'GET' | 'POST', path: string, credential: BackendCredential, body?: unknown): Promise<unknown> => {
    const url = joinUrl(options.url, path);
    const authorization = authorizationHeader(options.resolve(credential));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authorization !== undefined) headers.authorization = authorization;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Dispatcher.ResponseData;
    try {
      response = await httpRequest(url, {
        method,
        dispatcher: options.dispatcher,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(SIDE_REQUEST_TIMEOUT_MS * 6),
      });
    } catch (err) {
      throw pgErrorFromTransport(err);
    }
    const raw = await response.body.text();
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new PgError(SqlState.InternalError, `Druid Overlord ${method} ${path} failed with HTTP ${response.statusCode}: ${raw.slice(0, MAX_ERROR_TEXT)}`, {
        hint: 'Writes need the Overlord task API: set --druid-overlord-url (docs/writes.md).',
      });
    }
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new PgError(SqlState.InternalError, `Druid Overlord ${method} ${path} answered with a body that is not JSON`);
    }
  };
  return {
    async submit(request) {
      const answer = (await call('POST', '/druid/indexer/v1/task', request.credential, appendTaskSpec(request))) as Json | null;
      const id = text(answer?.task);
      if (id === null) throw new PgError(SqlState.InternalError, 'Druid Overlord accepted the task without returning its ID');
      return id;
    },
    async status(id, credential) {
      const answer = (await call('GET', `/druid/indexer/v1/task/${encodeURIComponent(id)}/status`, credential)) as Json | null;
      const status = answer?.status;
      if (status === null || typeof status !== 'object') throw new PgError(SqlState.InternalError, `Druid Overlord has no status for task ${id}`);
      return jobStatusOf({ id, ...(status as Json) });
    },
    async jobs(credential) {
      const answer = await call('GET', `/druid/indexer/v1/tasks?max=${MAX_LISTED_TASKS}`, credential);
      const tasks = Array.isArray(answer) ? answer.filter((t): t is Json => t !== null && typeof t === 'object').map(jobStatusOf) : [];
      return tasks.filter((t) => t.id.startsWith(TASK_ID_PREFIX));
    },
  };
}
