/**
 * The Jobs API for ingestion (docs/polaris-local.md, "Jobs"): POST /jobs (createJobInProject) for
 * `batch` jobs from uploaded files and `streaming` jobs from a push_streaming connection, GET /jobs,
 * GET /jobs/{jobId}, GET /jobs/{jobId}/status and POST /jobs/{jobId}/status (cancel). A batch job is
 * one Druid native batch task; a streaming job submits an append task with the connection's new
 * events every --event-flush-ms.
 */
import { randomUUID } from 'node:crypto';
import type { Connections } from './connections.js';
import { createDruid } from './druid.js';
import { sendBadRequest, sendNotFound } from './errors.js';
import type { Files } from './files.js';
import { isRecord, parseObject, readBody, sendJson } from './http-util.js';
import { buildTask, readSource } from './ingest-spec.js';
import type { Route } from './router.js';
import type { RouteModule, Services } from './server.js';
import { Collection } from './store.js';
import { tableFromRequest, type TableRecord } from './table-model.js';
import { LOCAL_USER, type Tables } from './tables.js';

export interface JobRecord {
  /** The job ID (Collection key). */
  name: string;
  type: 'batch' | 'streaming';
  spec: Record<string, unknown>;
  tableName: string;
  desiredExecutionStatus: 'running' | 'canceled';
  executionStatus: string;
  tasks: string[];
  failedTasks: number;
  /** The Druid task's errorMsg of a failed batch job (JobErrorHealthV2.message). */
  errorMessage?: string;
  createdTimestamp: string;
  lastUpdatedTimestamp: string;
  completedTimestamp?: string;
}

const DRUID_TO_EXECUTION: Readonly<Record<string, string>> = { SUCCESS: 'completed', FAILED: 'failed', RUNNING: 'running' };
const FINAL = new Set(['completed', 'failed', 'canceled']);

function view(job: JobRecord, full: boolean): Record<string, unknown> {
  return {
    id: job.name,
    type: job.type,
    target: { type: 'table', tableName: job.tableName },
    desiredExecutionStatus: job.desiredExecutionStatus,
    executionStatus: job.executionStatus,
    health: job.failedTasks > 0 ? { status: 'error', code: 'internal_error', message: job.errorMessage ?? 'an ingestion task of this job failed' } : { status: 'ok' },
    createdBy: LOCAL_USER,
    lastModifiedBy: LOCAL_USER,
    createdTimestamp: job.createdTimestamp,
    lastUpdatedTimestamp: job.lastUpdatedTimestamp,
    ...(job.completedTimestamp === undefined ? {} : { completedTimestamp: job.completedTimestamp }),
    ...(full ? { spec: job.spec, ...pick(job.spec, ['source', 'mappings', 'ingestionMode']) } : { source: job.spec.source }),
  };
}

function pick(from: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
}

export const jobRoutes: RouteModule = (services) => {
  const { tables, files, connections } = services as Services & { tables: Tables; files: Files; connections: Connections };
  const druid = createDruid(services.options.druidUrl, services.options.overlordUrl);
  const jobs = new Collection<JobRecord>(services.store, 'jobs.json');
  const touch = (job: JobRecord): void => {
    job.lastUpdatedTimestamp = new Date().toISOString();
    if (FINAL.has(job.executionStatus)) job.completedTimestamp ??= job.lastUpdatedTimestamp;
    jobs.put(job);
  };
  const refresh = async (job: JobRecord): Promise<JobRecord> => {
    if (job.type !== 'batch' || FINAL.has(job.executionStatus) || job.tasks[0] === undefined) return job;
    const status = await druid.taskStatus(job.tasks[0]);
    const next = DRUID_TO_EXECUTION[status?.status ?? ''] ?? 'pending';
    if (next !== job.executionStatus) {
      job.executionStatus = next;
      if (next === 'failed') {
        job.failedTasks = 1;
        if (status?.errorMsg !== undefined) job.errorMessage = status.errorMsg;
      }
      touch(job);
    }
    return job;
  };
  const target = async (body: Record<string, unknown>): Promise<TableRecord | string> => {
    const name = isRecord(body.target) && body.target.type === 'table' ? body.target.tableName : undefined;
    if (typeof name !== 'string') return 'target must be {"type": "table", "tableName": ...}';
    const found = await tables.find(name);
    if (found !== undefined) return found;
    if (body.createTableIfNotExists !== true) return `Table ${name} does not exist (set createTableIfNotExists).`;
    const created = tableFromRequest({ name }, new Date());
    if (typeof created === 'string') return created;
    tables.records.put(created);
    return created;
  };
  const create = async (body: Record<string, unknown>): Promise<JobRecord | string> => {
    if (body.type !== 'batch' && body.type !== 'streaming') return 'Only batch and streaming jobs are supported here.';
    const source = isRecord(body.source) ? body.source : {};
    const expected = body.type === 'batch' ? 'uploaded' : 'connection';
    if (source.type !== expected) return `A ${body.type} job needs source.type ${expected}.`;
    const ingest = readSource(source, body.mappings);
    if (typeof ingest === 'string') return ingest;
    const table = await target(body);
    if (typeof table === 'string') return table;
    const stamp = new Date().toISOString();
    const job: JobRecord = { name: randomUUID(), type: body.type, spec: body, tableName: table.name, desiredExecutionStatus: 'running', executionStatus: 'pending', tasks: [], failedTasks: 0, createdTimestamp: stamp, lastUpdatedTimestamp: stamp };
    if (body.type === 'streaming') {
      const connection = String(source.connectionName);
      if (connections.records.get(connection) === undefined) return `Connection ${connection} does not exist.`;
      if (jobs.list().some((j) => j.type === 'streaming' && j.tableName === table.name && !FINAL.has(j.executionStatus))) return `Table ${table.name} already has a streaming job.`;
      job.executionStatus = 'running';
      jobs.put(job);
      return job;
    }
    const names = Array.isArray(source.fileList) ? source.fileList.map(String) : [];
    const missing = names.find((n) => files.records.get(n) === undefined);
    if (names.length === 0 || missing !== undefined) return missing === undefined ? 'source.fileList is empty.' : `File ${missing} was not uploaded.`;
    const data = joinFiles(names.map((n) => files.contents(n).toString('utf8')), ingest.format);
    const task = buildTask(table, ingest, data, body.ingestionMode !== 'replace');
    if (typeof task === 'string') return task;
    job.tasks.push(await druid.submitTask(task));
    jobs.put(job);
    return job;
  };
  const flush = async (): Promise<void> => {
    const streaming = jobs.list().filter((j) => j.type === 'streaming' && j.executionStatus === 'running');
    const byConnection = new Map<string, JobRecord[]>();
    for (const job of streaming) {
      const name = String((job.spec.source as Record<string, unknown>).connectionName);
      byConnection.set(name, [...(byConnection.get(name) ?? []), job]);
    }
    for (const [connection, readers] of byConnection) {
      const data = connections.take(connection);
      if (data === '') continue;
      for (const job of readers) {
        const table = await tables.find(job.tableName);
        const ingest = readSource(job.spec.source as Record<string, unknown>, job.spec.mappings);
        const task = table === undefined || typeof ingest === 'string' ? 'no table' : buildTask(table, ingest, data, true);
        if (typeof task === 'string') job.failedTasks++;
        else job.tasks.push(await druid.submitTask(task));
        touch(job);
      }
    }
  };
  let flushing = Promise.resolve();
  const timer = setInterval(() => {
    flushing = flushing.then(flush).catch(() => undefined);
  }, services.options.eventFlushMs);
  timer.unref();
  const routes: Route[] = [
    {
      method: 'POST',
      template: '/jobs',
      handle: async ({ req, res }) => {
        const body = parseObject(await readBody(req));
        if (body === undefined) return sendBadRequest(res, 'The request body must be a JSON object.');
        const job = await create(body);
        if (typeof job === 'string') return sendBadRequest(res, job);
        sendJson(res, 201, view(job, true), { location: `/v1/projects/${services.options.projectId}/jobs/${job.name}` });
      },
    },
    { method: 'GET', template: '/jobs', handle: async ({ res }) => sendJson(res, 200, { values: await Promise.all(jobs.list().map(async (j) => view(await refresh(j), false))) }) },
    ...(['', '/status'] as const).map(
      (suffix): Route => ({
        method: 'GET',
        template: `/jobs/{jobId}${suffix}`,
        handle: async ({ res, params }) => {
          const job = jobs.get(params[0] ?? '');
          if (job === undefined) return sendNotFound(res, `Job ${params[0] ?? ''}`);
          await refresh(job);
          sendJson(res, 200, suffix === '' ? view(job, true) : { executionStatus: job.executionStatus });
        },
      }),
    ),
    {
      method: 'POST',
      template: '/jobs/{jobId}/status',
      handle: async ({ req, res, params }) => {
        const job = jobs.get(params[0] ?? '');
        if (job === undefined) return sendNotFound(res, `Job ${params[0] ?? ''}`);
        const body = parseObject(await readBody(req));
        if (body?.desiredExecutionStatus !== 'canceled') return sendBadRequest(res, 'Only desiredExecutionStatus canceled is supported here.');
        await refresh(job);
        job.desiredExecutionStatus = 'canceled';
        if (!FINAL.has(job.executionStatus)) {
          for (const task of job.tasks) await druid.shutdownTask(task).catch(() => undefined);
          job.executionStatus = 'canceled';
        }
        touch(job);
        sendJson(res, 200, { executionStatus: job.executionStatus });
      },
    },
  ];
  return {
    routes,
    stop: async () => {
      clearInterval(timer);
      await flushing;
    },
  };
};

/** Concatenates uploaded files; a CSV file after the first loses its header line. */
function joinFiles(contents: string[], format: 'nd-json' | 'csv'): string {
  return contents
    .map((text, i) => (format === 'csv' && i > 0 ? text.slice(text.indexOf('\n') + 1) : text))
    .map((text) => (text.endsWith('\n') ? text : `${text}\n`))
    .join('');
}
