import type { DruidValue } from '../schema/druid.js';
import { PgError } from '../errors/pg-error.js';
import { USER_CANCEL_MESSAGE } from '../errors/map.js';
import { SqlState } from '../errors/sqlstate.js';
import type { Metrics } from '../observability/metrics.js';
import type { FormatCode } from '../wire/messages.js';
import { cancelError, type AbortReason, type ActiveQuery } from '../exec/data.js';
import { parseMilliseconds } from '../exec/guc-defs.js';
import type { GucStore } from '../exec/gucs.js';
import { outputContextOf } from '../exec/output-context.js';
import type { Output } from './output.js';
import type { ResultColumn, RowBatch } from '../exec/row-source.js';
import { fieldDescriptions } from './row-source.js';
import { RowTranscoder } from './row-transcoder.js';

/** Rows sent and whether the result is complete. */
export interface Streamed {
  count: number;
  complete: boolean;
}

/**
 * Runs backend queries for one session: the query being read is the target of CancelRequest and
 * statement_timeout, and stream() is the one loop that moves rows to the client, flushing per
 * batch so that a slow client slows the backend read.
 */
export class QueryRunner {
  /** The backend query being read right now. */
  private active: ActiveQuery | null = null;
  private pendingStart = false;
  private abortWhileStarting: AbortReason | null = null;
  /** The controller of the query being started. */
  private starting: AbortController | null = null;
  /** The session is handling a command (a frontend message until its ReadyForQuery). */
  private busy = false;
  /**
   * A cancel that arrived while the session was busy but between backend queries (translating,
   * binding): the next query of the same command fails with it, as PostgreSQL's cancel interrupts
   * whatever step the backend is in. Cleared at ReadyForQuery; a cancel while idle does nothing.
   */
  private pendingCancel: AbortReason | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: Output,
    private readonly gucs: GucStore,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Opens a backend query; a cancel or timeout that arrives while it starts aborts `controller` at
   * once (an asynchronous Polaris statement is DELETEd) and the query once opened.
   */
  async start(open: (controller: AbortController) => Promise<ActiveQuery>): Promise<ActiveQuery> {
    if (this.pendingCancel !== null) {
      const reason = this.pendingCancel;
      this.pendingCancel = null;
      throw canceled(reason);
    }
    this.pendingStart = true;
    const controller = new AbortController();
    this.starting = controller;
    try {
      const query = await open(controller);
      if (this.abortWhileStarting !== null) {
        query.abort(this.abortWhileStarting);
        await query.source.close();
        throw query.mapError(null);
      }
      return query;
    } finally {
      this.pendingStart = false;
      this.abortWhileStarting = null;
      this.starting = null;
    }
  }

  /** Rows from a query, with cancel and statement_timeout applying while they are read. */
  read(query: ActiveQuery, max: number): Promise<DruidValue[][]> {
    return this.reading(query, () => query.source.next(max));
  }

  private async reading<T>(query: ActiveQuery, read: () => Promise<T>): Promise<T> {
    this.active = query;
    try {
      return await read();
    } catch (err) {
      throw query.mapError(err);
    } finally {
      this.active = null;
    }
  }

  /**
   * Hands up to `max` rows (0 = all) to `sink` batch by batch, flushing after each; stops the
   * backend query when the client has gone.
   */
  async stream(query: ActiveQuery, max: number, sink: (rows: DruidValue[][]) => void): Promise<Streamed> {
    return this.streamBatches(query, max, false, (batch) => {
      // Decoded rows only: streamBatches asks for raw ones only when told to.
      const rows = batch.raw === undefined ? batch.values : [];
      sink(rows);
      return rows.length;
    });
  }

  /** Streams rows as DataRows in `formats`, after a RowDescription when `describe` is set. */
  async sendRows(query: ActiveQuery, formats: readonly FormatCode[], max: number, describe: boolean): Promise<Streamed> {
    const columns = query.source.columns;
    if (describe) this.sendRowDescription(columns, formats);
    const transcoder = new RowTranscoder(columns, formats, outputContextOf(this.gucs));
    const writer = this.out.writer;
    return this.streamBatches(query, max, true, (batch) => {
      if (batch.raw === undefined) {
        transcoder.writeValues(writer, batch.values);
        return batch.values.length;
      }
      transcoder.writeRaw(writer, batch.raw, batch.from, batch.to);
      return batch.to - batch.from;
    });
  }

  /**
   * The one loop that moves rows to the client: batches (raw ones only when `raw`) to `sink`, which
   * returns the rows it wrote. Output is sent once FLUSH_THRESHOLD bytes are pending, and whenever
   * the next batch is not at hand, so rows never wait in the gateway while it waits on the backend,
   * and a short result goes out in one write with its CommandComplete.
   */
  private async streamBatches(query: ActiveQuery, max: number, raw: boolean, sink: (batch: RowBatch) => number): Promise<Streamed> {
    let count = 0;
    while (max === 0 || count < max) {
      const limit = max === 0 ? 0 : max - count;
      const next = raw ? this.reading(query, () => query.source.nextBatch(limit)) : this.read(query, limit).then((values) => ({ values }));
      const batch = await this.flushWhileWaiting(next);
      if (batch === null || (batch.raw === undefined && batch.values.length === 0)) return { count, complete: true };
      const rows = sink(batch);
      count += rows;
      this.metrics.rows.inc(rows);
      await this.out.maybeFlush();
      if (this.out.isClosed) {
        // The client is gone: stop the backend query too (HTTP abort + DELETE), not just the read.
        query.abort('disconnect');
        throw new PgError(SqlState.ConnectionFailure, 'client connection closed');
      }
    }
    return { count, complete: await this.flushWhileWaiting(this.reading(query, () => query.source.exhausted())) };
  }

  /** Resolves like `pending`; when it has not settled by the next turn of the event loop, sends the pending output first. */
  private async flushWhileWaiting<T>(pending: Promise<T>): Promise<T> {
    if (this.out.writer.length === 0) return pending;
    const settled = await Promise.race([pending.then(() => true, () => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);
    if (!settled) await this.out.flush();
    return pending;
  }

  sendRowDescription(columns: readonly ResultColumn[], formats: readonly FormatCode[] = []): void {
    this.out.writer.rowDescription(fieldDescriptions(columns, formats));
  }

  /** Runs fn with statement_timeout armed against the query being read. */
  async withTimeout<T>(fn: () => Promise<T>): Promise<T> {
    const ms = parseMilliseconds('statement_timeout', this.gucs.get('statement_timeout') ?? '0');
    if (ms > 0) this.timer = setTimeout(() => this.abort('timeout'), ms);
    try {
      return await fn();
    } finally {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** The session starts handling a frontend message. */
  beginCommand(): void {
    this.busy = true;
  }

  /** ReadyForQuery: the command is over; a cancel not yet applied is dropped. */
  endCommand(): void {
    this.busy = false;
    this.pendingCancel = null;
  }

  /** CancelRequest, statement timeout or disconnect: stop whatever backend query is running. */
  abort(reason: AbortReason): void {
    if (this.active) {
      this.metrics.cancels.inc();
      this.active.abort(reason);
    } else if (this.pendingStart) {
      this.metrics.cancels.inc();
      this.abortWhileStarting = reason;
      this.starting?.abort(cancelError(reason));
    } else if (this.busy) {
      this.metrics.cancels.inc();
      this.pendingCancel = reason;
    }
  }
}

/** The error of a query cancelled before it reached the backend. */
function canceled(reason: AbortReason): PgError {
  return new PgError(SqlState.QueryCanceled, reason === 'timeout' ? 'canceling statement due to statement timeout' : USER_CANCEL_MESSAGE);
}
