import { parseRowLine } from '../backend/row-line.js';
import type { DruidColumn, DruidValue, QueryStream, RawRows } from '../schema/druid.js';
import type { PgType } from '../types/pg-type.js';
import { pgTypeFor } from '../types/druid-to-pg.js';
import type { ResultType, TimestampOutput } from '../sql/types.js';
import { pgTypeForResult } from '../types/result-type.js';

/** One result column: its name and the PostgreSQL type it is reported and encoded as. */
export interface ResultColumn {
  name: string;
  type: PgType;
}

/**
 * The result columns of a Druid result. `timestamps` (Translation.timestampOutputs) marks the
 * columns Druid returns as epoch milliseconds: they are reported as timestamp(tz) and printed by
 * the gateway in the session zone (src/types/datetime.ts reads numbers as instants). `results`
 * (Translation.resultTypes) marks columns reported as PostgreSQL's type rather than Druid's.
 */
export function columnsFromDruid(
  columns: readonly DruidColumn[],
  timestampType: 'timestamptz' | 'timestamp',
  timestamps?: readonly TimestampOutput[],
  results?: ReadonlyArray<ResultType | null>,
): ResultColumn[] {
  return columns.map((c, i) => {
    const result = results?.[i] ?? null;
    if (result !== null) return { name: c.name, type: pgTypeForResult(result) };
    const kind = timestamps?.[i] ?? null;
    if (kind === null) return { name: c.name, type: pgTypeFor(c, { timestampType }) };
    const type = pgTypeFor({ sqlType: 'TIMESTAMP', nativeType: 'LONG' }, { timestampType: kind === 'timestamp' ? 'timestamp' : timestampType });
    return { name: c.name, type };
  });
}

/** Rows handed out by RowSource.nextBatch: decoded values, or rows [from, to) of a raw batch. */
export type RowBatch = { values: DruidValue[][]; raw?: undefined } | { raw: RawRows; from: number; to: number };

/**
 * Pulls rows from a backend query in batches, keeping the unread rest of a batch so that a portal
 * or cursor can stop after N rows and resume later without re-running the query. Rows stay
 * undecoded (RawRows) when the stream offers them and the consumer takes batches (nextBatch);
 * next() decodes them.
 */
export class RowSource {
  private readonly iterator: AsyncIterator<DruidValue[][]>;
  private pending: DruidValue[][] = [];
  private pos = 0;
  private raw: RawRows | null = null;
  private rawPos = 0;
  private finished = false;

  constructor(
    readonly stream: QueryStream,
    readonly columns: ResultColumn[],
  ) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  /** Up to `max` rows (max <= 0: a whole batch) decoded; an empty array means the result is complete. */
  async next(max: number): Promise<DruidValue[][]> {
    if (this.raw !== null) this.decodeRaw();
    while (this.pos >= this.pending.length) {
      if (this.finished) return [];
      const step = await this.iterator.next();
      if (step.done === true) {
        this.finished = true;
        return [];
      }
      this.pending = step.value;
      this.pos = 0;
    }
    return this.slice(max);
  }

  /** Up to `max` rows (max <= 0: a whole batch), raw when the stream offers them; null once complete. */
  async nextBatch(max: number): Promise<RowBatch | null> {
    if (this.pos < this.pending.length) return { values: this.slice(max) };
    if (this.raw === null || this.rawPos >= this.raw.to) {
      if (!(await this.pull())) return null;
      if (this.raw === null) return { values: this.slice(max) };
    }
    const raw = this.raw as RawRows;
    const from = this.rawPos;
    const to = max > 0 ? Math.min(raw.to, from + max) : raw.to;
    this.rawPos = to;
    return { raw, from, to };
  }

  /** True once the stream has ended and every row was handed out; reads ahead at most one batch. */
  async exhausted(): Promise<boolean> {
    if (this.pos < this.pending.length || (this.raw !== null && this.rawPos < this.raw.to)) return false;
    return !(await this.pull());
  }

  async close(): Promise<void> {
    this.finished = true;
    this.pending = [];
    this.pos = 0;
    this.raw = null;
    await this.stream.close();
  }

  /** Reads the next non-empty batch (raw when offered); false at the end of the result. */
  private async pull(): Promise<boolean> {
    for (;;) {
      if (this.finished) return false;
      if (this.stream.nextRaw !== undefined) {
        const raw = await this.stream.nextRaw();
        if (raw === null) break;
        this.raw = raw;
        this.rawPos = raw.from;
        if (raw.to > raw.from) return true;
      } else {
        const step = await this.iterator.next();
        if (step.done === true) break;
        this.pending = step.value;
        this.pos = 0;
        if (this.pending.length > 0) return true;
      }
    }
    this.finished = true;
    this.raw = null;
    return false;
  }

  private slice(max: number): DruidValue[][] {
    const end = max > 0 ? Math.min(this.pending.length, this.pos + max) : this.pending.length;
    const rows = this.pos === 0 && end === this.pending.length ? this.pending : this.pending.slice(this.pos, end);
    this.pos = end;
    return rows;
  }

  /** Decodes the raw rows not yet handed out into `pending`. */
  private decodeRaw(): void {
    const raw = this.raw as RawRows;
    const width = this.stream.columns.length;
    const rows: DruidValue[][] = [];
    for (let k = this.rawPos; k < raw.to; k++) {
      rows.push(parseRowLine((raw.bufs[k] as Buffer).toString('utf8', raw.starts[k], raw.ends[k]), raw.firstRow + k - raw.from, width));
    }
    this.raw = null;
    this.pending = rows;
    this.pos = 0;
  }
}
