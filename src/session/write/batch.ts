import type { ParamValue } from '../../types/params.js';
import type { SessionContext } from '../context.js';
import type { PreparedStatement } from '../state.js';
import { countRows, runJob, type JobTarget } from './job.js';
import { valuesInto, type PreparedInsert } from './insert.js';
import type { RowSink } from './staging.js';

/**
 * INSERT ... VALUES executed by Bind/Execute outside a transaction block, gathered until Sync and
 * ingested there as one job (docs/writes.md, "Batches"). Up to Sync the statements form one
 * implicit transaction in PostgreSQL, whose commit happens at Sync: each Execute checks its rows
 * and answers `INSERT 0 n` at once, and Sync runs the job, so a failed job is an ErrorResponse
 * before ReadyForQuery with nothing ingested, as a failed commit is; an error in an Execute
 * discards the rows gathered, as the aborted transaction does. A statement of another kind (or
 * into another table) ingests the gathered rows first, so it sees them as it would in PostgreSQL.
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
 */

interface Pending {
  table: string;
  target: JobTarget;
  sink: RowSink;
  /** The table's count before the first Execute (job.ts waits for it plus the rows). */
  before: bigint;
}

/** Whether the statement is an INSERT ... VALUES that can join a batch. */
function valuesInsert(statement: PreparedStatement): PreparedInsert | null {
  if (statement.route !== 'write' || statement.plan?.kind !== 'insert') return null;
  const insert = statement.plan.insert;
  return insert.plan.source.kind === 'values' ? insert : null;
}

export class InsertBatch {
  #pending: Pending | null = null;

  /** Whether the statement, run now, joins the gathered rows (an INSERT ... VALUES into the same table). */
  joins(statement: PreparedStatement): boolean {
    const insert = valuesInsert(statement);
    return this.#pending === null || (insert !== null && insert.plan.table === this.#pending.table);
  }

  /** Whether a portal of this statement, bound by a Bind message, may be gathered rather than ingested at Execute. */
  static gathers(statement: PreparedStatement): boolean {
    return valuesInsert(statement) !== null;
  }

  /** Checks one Execute's rows and gathers them; returns their count (its `INSERT 0 n`). */
  async add(ctx: SessionContext, prepared: PreparedInsert, params: readonly ParamValue[]): Promise<number> {
    const table = prepared.plan.table;
    if (this.#pending !== null && this.#pending.table !== table) await this.commit(ctx);
    if (this.#pending === null) {
      const target = ctx.writes.target(table, prepared.tableColumns);
      const before = await countRows(target);
      this.#pending = { table, target, sink: ctx.writes.sink(), before };
    }
    const sink = this.#pending.sink;
    const rows = sink.rows;
    try {
      if (prepared.plan.source.kind === 'values') await valuesInto(ctx, sink, prepared, prepared.plan.source, params);
    } catch (err) {
      await this.discard();
      throw err;
    }
    return sink.rows - rows;
  }

  /** Ingests the gathered rows as one job (Sync, or another statement); nothing when none. */
  async commit(ctx: SessionContext): Promise<void> {
    const pending = this.#pending;
    if (pending === null) return;
    this.#pending = null;
    await runJob(ctx, pending.target, pending.sink, pending.before);
    await ctx.writes.refreshSchema();
  }

  /** Drops the gathered rows (an error before Sync, or the connection closed). */
  async discard(): Promise<void> {
    const pending = this.#pending;
    this.#pending = null;
    await pending?.sink.discard();
  }
}
