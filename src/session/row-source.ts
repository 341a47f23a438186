import type { DruidColumn, DruidValue, QueryStream } from '../schema/druid.js';
import type { PgType, OutputContext } from '../types/pg-type.js';
import { pgTypeFor } from '../types/druid-to-pg.js';
import type { TimestampOutput } from '../sql/types.js';
import type { FieldDescription, FormatCode } from '../wire/messages.js';

/** One result column: its name and the PostgreSQL type it is reported and encoded as. */
export interface ResultColumn {
  name: string;
  type: PgType;
}

export type EncodedValue = string | Buffer | null;
export type ValueEncoder = (value: DruidValue) => EncodedValue;

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

/** Expands Bind's result-format codes (none, one for all, or one per column). */
export function formatFor(formats: readonly FormatCode[], index: number): FormatCode {
  if (formats.length === 0) return 0;
  if (formats.length === 1) return formats[0] ?? 0;
  return formats[index] ?? 0;
}

export function fieldDescriptions(columns: readonly ResultColumn[], formats: readonly FormatCode[]): FieldDescription[] {
  return columns.map((c, i) => ({
    name: c.name,
    tableOid: 0,
    columnAttr: 0,
    typeOid: c.type.oid,
    typeSize: c.type.typlen,
    typeModifier: c.type.typmod,
    format: formatFor(formats, i),
  }));
}

export function encoders(columns: readonly ResultColumn[], formats: readonly FormatCode[], ctx: OutputContext): ValueEncoder[] {
  return columns.map((c, i) => {
    const type = c.type;
    return formatFor(formats, i) === 1
      ? (v: DruidValue): EncodedValue => (v === null ? null : type.toBinary(v, ctx))
      : (v: DruidValue): EncodedValue => (v === null ? null : type.toText(v, ctx));
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
