import type { RecordBatch, Table } from 'apache-arrow';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { ActiveQuery } from '../exec/data.js';
import type { RowBatch } from '../exec/row-source.js';
import type { DruidValue } from '../schema/druid.js';
import type { OutputContext } from '../types/pg-type.js';
import { arrowBatches, arrowTable, type ArrowOptions } from './arrow/batches.js';
import { columnInfos, type ColumnInfo } from './columns.js';
import { Row, RowShape } from './row.js';

/** Rows read from the backend per step unless fetchSize says otherwise (one backend batch). */
export const DEFAULT_FETCH_SIZE = 1024;

/**
 * The rows of one running query (JDBC ResultSet). Rows are pulled from the backend as they are
 * consumed, `fetchSize` at a time, so the HTTP body is read only as fast as the caller iterates
 * (never the whole result in memory). Read it once: as rows, raw batches, or Arrow.
 * statement_timeout runs from query() until the result is read or closed; cancel() and the
 * timeout stop the backend query (HTTP abort and, on Druid, DELETE /druid/v2/sql/{id}).
 */
export class ResultSet implements AsyncIterable<Row> {
  readonly columns: readonly ColumnInfo[];
  /** Rows requested from the backend per read; 0 takes each backend batch whole. */
  fetchSize = DEFAULT_FETCH_SIZE;
  private readonly shape: RowShape;
  private consumed = false;
  private closed = false;

  constructor(
    private readonly query: ActiveQuery,
    readonly ctx: OutputContext,
    private readonly timer: NodeJS.Timeout | null,
  ) {
    this.columns = columnInfos(query.source.columns, query.source.stream.columns);
    this.shape = new RowShape(query.source.columns, ctx);
  }

  /** The backend's query id (Druid's sqlQueryId), e.g. for its logs and DELETE. */
  get queryId(): string {
    return this.query.source.stream.sqlQueryId;
  }

  /** Raw row batches as Druid values (src/schema/druid.ts DruidValue), up to fetchSize rows each. */
  batches(): AsyncGenerator<DruidValue[][]> {
    return this.drain(async () => {
      const rows = await this.read(() => this.query.source.next(this.fetchSize));
      return rows.length === 0 ? null : rows;
    });
  }

  /** Batches as the backend stream gives them: undecoded lines where it can (the Arrow path). */
  private rowBatches(): AsyncGenerator<RowBatch> {
    return this.drain(() => this.read(() => this.query.source.nextBatch(this.fetchSize)));
  }

  /** Each value of `step` until it gives null; then (or on an error or return) the result is closed. */
  private async *drain<T>(step: () => Promise<T | null>): AsyncGenerator<T> {
    if (this.consumed) throw new PgError(SqlState.InvalidCursorState, 'the result set has already been read');
    this.consumed = true;
    try {
      for (;;) {
        const batch = await step();
        if (batch === null) return;
        yield batch;
      }
    } finally {
      await this.close();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Row> {
    for await (const rows of this.batches()) {
      for (const raw of rows) yield new Row(this.shape, raw);
    }
  }

  /** Every row; for small results (the rows are held in memory). */
  async all(): Promise<Row[]> {
    const out: Row[] = [];
    for await (const row of this) out.push(row);
    return out;
  }

  /** The result as Arrow record batches (docs/driver.md "Arrow"). */
  arrow(options: ArrowOptions = {}): AsyncGenerator<RecordBatch> {
    return arrowBatches(this.columns, this.rowBatches(), this.ctx, options);
  }

  /** The result as one Arrow Table; for small results. */
  arrowTable(options: ArrowOptions = {}): Promise<Table> {
    return arrowTable(this.arrow(options));
  }

  /** Stops the backend query; reading then fails with 57014, as PostgreSQL's cancel. */
  cancel(): void {
    this.query.abort('cancel');
  }

  /** Releases the backend query (stops reading its body); safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.query.source.close();
  }

  private async read<T>(next: () => Promise<T>): Promise<T> {
    if (this.closed) throw new PgError(SqlState.InvalidCursorState, 'the result set is closed');
    try {
      return await next();
    } catch (err) {
      throw this.query.mapError(err);
    }
  }
}
