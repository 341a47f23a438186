import { setTimeout as sleep } from 'node:timers/promises';
import type { Backend, BackendCredential } from '../../schema/druid.js';
import type { IngestColumn, Ingestion, JobStatus } from '../../schema/ingest.js';
import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import type { SessionContext } from '../context.js';
import type { RowSink } from './staging.js';

/**
 * One ingestion job for one write statement (docs/writes.md): submit, then, unless
 * polaris.write_wait is off, wait for the job to end and for its rows to be queryable, with
 * NOTICEs naming the job while it waits. A failed job is an error carrying the job's own message.
 */

/** Time between two status reads of a running job. */
const POLL_MS = 500;
/** Time between two progress NOTICEs. */
const PROGRESS_NOTICE_MS = 5_000;
/** How long a successful job's rows may take to become queryable before the write ends with a WARNING. */
const QUERYABLE_WAIT_MS = 120_000;

export interface JobTarget {
  ingestion: Ingestion;
  backend: Backend;
  credential: BackendCredential;
  table: string;
  columns: readonly IngestColumn[];
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The table's row count through the Broker; 0 for a table Druid does not know (yet). */
export async function countRows(target: Pick<JobTarget, 'backend' | 'credential' | 'table'>): Promise<bigint> {
  let stream;
  try {
    stream = await target.backend.query({ sql: `SELECT COUNT(*) FROM ${quoteIdent(target.table)}`, parameters: [], context: {}, credential: target.credential });
  } catch (err) {
    if (err instanceof PgError && err.code === SqlState.UndefinedTable) return 0n;
    throw err;
  }
  let count = 0n;
  try {
    for await (const batch of stream) {
      const value = batch[0]?.[0];
      if (typeof value === 'number' || typeof value === 'bigint') count = BigInt(value);
    }
  } finally {
    await stream.close();
  }
  return count;
}

export async function notice(ctx: SessionContext, message: string, severity: 'NOTICE' | 'WARNING' = 'NOTICE'): Promise<void> {
  ctx.notice(severity === 'NOTICE' ? SqlState.SuccessfulCompletion : SqlState.Warning, message, severity);
  await ctx.out.flush();
}

/** Polls the job until it ends, with a progress NOTICE every PROGRESS_NOTICE_MS when `ctx` is given. */
async function jobEnd(target: JobTarget, id: string, ctx: SessionContext | null): Promise<JobStatus> {
  const started = Date.now();
  let lastNotice = started;
  for (;;) {
    const status = await target.ingestion.status(id, target.credential);
    if (status.state !== 'RUNNING') return status;
    if (ctx !== null && Date.now() - lastNotice >= PROGRESS_NOTICE_MS) {
      lastNotice = Date.now();
      await notice(ctx, `ingestion task ${id} still running (${Math.round((lastNotice - started) / 1000)} s)`);
    }
    await sleep(POLL_MS);
  }
}

function failure(status: JobStatus): PgError {
  return new PgError(SqlState.InternalError, `ingestion task ${status.id} failed: ${status.errorMsg ?? 'no message from Druid'}`, {
    detail: 'The task published nothing: no row of this statement was ingested.',
  });
}

/** Waits until COUNT(*) reaches `expected` (or the wait ends with a WARNING). */
export async function awaitQueryable(ctx: SessionContext, target: Pick<JobTarget, 'backend' | 'credential' | 'table'>, id: string, expected: bigint): Promise<void> {
  const deadline = Date.now() + QUERYABLE_WAIT_MS;
  while ((await countRows(target)) < expected) {
    if (Date.now() >= deadline) {
      await notice(ctx, `ingestion ${id} succeeded, but its rows were not all queryable after ${QUERYABLE_WAIT_MS / 1000} s; they will appear once Druid loads its segments`, 'WARNING');
      return;
    }
    await sleep(POLL_MS);
  }
}

/**
 * Ingests the sink's rows as one job. `before` is the table's count taken before the rows were
 * read, so the wait ends when the new rows are visible.
 */
export async function runJob(ctx: SessionContext, target: JobTarget, sink: RowSink, before: bigint): Promise<void> {
  let keepFile = false;
  try {
    const input = await sink.finish();
    const id = await target.ingestion.submit({ dataSource: target.table, columns: target.columns, input, credential: target.credential });
    await notice(ctx, `ingestion task ${id} submitted: ${sink.rows} rows into "${target.table}"`);
    if (ctx.gucs.get('polaris.write_wait') === 'off') {
      // The staged file must outlive the statement: it is removed once the job has ended.
      keepFile = true;
      void jobEnd(target, id, null).catch(() => undefined).finally(() => void sink.discard());
      return;
    }
    const status = await jobEnd(target, id, ctx);
    if (status.state === 'FAILED') throw failure(status);
    await awaitQueryable(ctx, target, `task ${id}`, before + BigInt(sink.rows));
  } finally {
    if (!keepFile) await sink.discard();
  }
}
