import type { DruidColumn, DruidValue, QueryStream } from '../schema/druid.js';
import type { PgType } from '../types/pg-type.js';
import { pgTypeFor } from '../types/druid-to-pg.js';
import type { TimestampOutput } from '../sql/types.js';

/** One result column: its name and the PostgreSQL type it is reported and encoded as. */
export interface ResultColumn {
  name: string;
  type: PgType;
}

/**
 * The result columns of a Druid result. `timestamps` (Translation.timestampOutputs) marks the
 * columns Druid returns as epoch milliseconds: they are reported as timestamp(tz) and printed by
 * the gateway in the session zone (src/types/datetime.ts reads numbers as instants).
 */
export function columnsFromDruid(
  columns: readonly DruidColumn[],
  timestampType: 'timestamptz' | 'timestamp',
  timestamps?: readonly TimestampOutput[],
): ResultColumn[] {
  return columns.map((c, i) => {
    const kind = timestamps?.[i] ?? null;
    if (kind === null) return { name: c.name, type: pgTypeFor(c, { timestampType }) };
    const type = pgTypeFor({ sqlType: 'TIMESTAMP', nativeType: 'LONG' }, { timestampType: kind === 'timestamp' ? 'timestamp' : timestampType });
    return { name: c.name, type };
  });
}

/**
 * Pulls rows from a backend query in batches, keeping the unread rest of a batch so that a portal
 * or cursor can stop after N rows and resume later without re-running the query.
 */
export class RowSource {
  private readonly iterator: AsyncIterator<DruidValue[][]>;
  private pending: DruidValue[][] = [];
  private pos = 0;
  private finished = false;

  constructor(
    readonly stream: QueryStream,
    readonly columns: ResultColumn[],
  ) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  /** Up to `max` rows (max <= 0: a whole batch); an empty array means the result is complete. */
  async next(max: number): Promise<DruidValue[][]> {
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
    const end = max > 0 ? Math.min(this.pending.length, this.pos + max) : this.pending.length;
    const rows = this.pos === 0 && end === this.pending.length ? this.pending : this.pending.slice(this.pos, end);
    this.pos = end;
    return rows;
  }

  /** True once the stream has ended and every row was handed out; reads ahead at most one batch. */
  async exhausted(): Promise<boolean> {
    if (this.pos < this.pending.length) return false;
    if (this.finished) return true;
    const step = await this.iterator.next();
    if (step.done === true) {
      this.finished = true;
      return true;
    }
    this.pending = step.value;
    this.pos = 0;
    return this.pending.length === 0 ? this.exhausted() : false;
  }

  async close(): Promise<void> {
    this.finished = true;
    this.pending = [];
    this.pos = 0;
    await this.stream.close();
  }
}
