import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { ResultColumn } from '../exec/row-source.js';
import type { DruidValue } from '../schema/druid.js';
import { pgTypeByOid } from '../types/druid-to-pg.js';
import { zoneOffsetFn } from '../types/timezone.js';
import type { OutputContext } from '../types/pg-type.js';
import { epochDays, instantMs, readerFor, toBigInt, wallMs, type JsValue, type ValueReader } from './values.js';
import { MS_PER_DAY } from '../types/civil.js';
import { Oid } from '../types/oids.js';

/** What the rows of one result share: columns, value readers and output settings. */
export class RowShape {
  readonly readers: ValueReader[];
  private readonly byName = new Map<string, number>();
  private readonly zone;

  constructor(
    readonly columns: readonly ResultColumn[],
    readonly ctx: OutputContext,
  ) {
    this.readers = columns.map((c) => readerFor(c.type, ctx, pgTypeByOid));
    // The first column of a name wins, as JDBC's findColumn.
    columns.forEach((c, i) => {
      if (!this.byName.has(c.name)) this.byName.set(c.name, i);
    });
    this.zone = zoneOffsetFn(ctx.timeZone);
  }

  /** The 0-based index of a column given by 0-based index or by name; 42703 when there is none. */
  index(column: number | string): number {
    const i = typeof column === 'number' ? column : this.byName.get(column);
    if (i === undefined || i < 0 || i >= this.columns.length || !Number.isInteger(i)) {
      throw new PgError(SqlState.UndefinedColumn, `column ${typeof column === 'number' ? `index ${column}` : `"${column}"`} does not exist in the result`);
    }
    return i;
  }

  /** Epoch milliseconds of a timestamptz (the instant), timestamp (wall clock read as UTC) or date. */
  epochMillis(i: number, value: DruidValue): number {
    const oid = (this.columns[i] as ResultColumn).type.oid;
    if (oid === Oid.timestamptz) return instantMs(value, this.zone);
    if (oid === Oid.timestamp) return wallMs(value, this.zone);
    if (oid === Oid.date) return epochDays(value, this.zone) * MS_PER_DAY;
    throw new PgError(SqlState.DatatypeMismatch, `column "${(this.columns[i] as ResultColumn).name}" is not a timestamp or date`);
  }
}

/**
 * One result row with JDBC-style getters. Columns are given by 0-based index or by name; values
 * are converted when read. A getter of NULL returns null (JDBC's wasNull() is `isNull`).
 */
export class Row {
  constructor(
    private readonly shape: RowShape,
    /** The row as Druid sent it (docs/driver.md "Values"). */
    readonly raw: readonly DruidValue[],
  ) {}

  isNull(column: number | string): boolean {
    return (this.raw[this.shape.index(column)] ?? null) === null;
  }

  /** The value as its type's JavaScript value (values.ts JsValue). */
  get(column: number | string): JsValue {
    const i = this.shape.index(column);
    const v = this.raw[i] ?? null;
    return v === null ? null : (this.shape.readers[i] as ValueReader)(v);
  }

  /** PostgreSQL's text output of the value, exactly as the gateway sends it in text format. */
  getString(column: number | string): string | null {
    const i = this.shape.index(column);
    const v = this.raw[i] ?? null;
    return v === null ? null : (this.shape.columns[i] as ResultColumn).type.toText(v, this.shape.ctx);
  }

  /** An integer value exactly, as bigint. */
  getBigInt(column: number | string): bigint | null {
    const v = this.raw[this.shape.index(column)] ?? null;
    return v === null ? null : toBigInt(v);
  }

  getNumber(column: number | string): number | null {
    const value = this.get(column);
    if (value === null) return null;
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean') return Number(value);
    if (value instanceof Date) return value.getTime();
    throw new PgError(SqlState.DatatypeMismatch, 'an array value cannot be read as a number');
  }

  getBoolean(column: number | string): boolean | null {
    const value = this.get(column);
    return value === null ? null : typeof value === 'boolean' ? value : Boolean(this.getNumber(column));
  }

  getDate(column: number | string): Date | null {
    const ms = this.getEpochMillis(column);
    return ms === null ? null : new Date(ms);
  }

  getEpochMillis(column: number | string): number | null {
    const i = this.shape.index(column);
    const v = this.raw[i] ?? null;
    return v === null ? null : this.shape.epochMillis(i, v);
  }

  getArray(column: number | string): JsValue[] | null {
    const value = this.get(column);
    if (value === null || Array.isArray(value)) return value;
    throw new PgError(SqlState.DatatypeMismatch, 'the value is not an array');
  }

  /** The row as an object keyed by column name (a repeated name keeps its first column). */
  toObject(): Record<string, JsValue> {
    const out: Record<string, JsValue> = {};
    this.shape.columns.forEach((c, i) => {
      if (!(c.name in out)) out[c.name] = this.get(i);
    });
    return out;
  }
}
