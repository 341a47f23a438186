import { L, SeparatedArray, SqlCase, SqlFunction, SqlInterval, SqlLiteral, SqlMulti, SqlUnary, SqlWhenThenPart, type SqlExpression } from 'druid-query-toolkit';
import { operand, Prec, type Typed } from './typing.js';

/**
 * timestamptz ± n days. PostgreSQL adds calendar days in the session zone, keeping the wall clock
 * across a DST transition (2025-10-25 12:00Z + interval '1 day' in Europe/Berlin is
 * 2025-10-26 13:00Z, https://www.postgresql.org/docs/current/functions-datetime.html); Druid adds
 * `INTERVAL 'n' DAY` as n * 86,400,000 ms (checked on Druid 33). TIME_SHIFT(ts, 'PnD', step)
 * shifts by calendar days in sqlTimeZone, as PostgreSQL does. When the new wall clock falls in
 * the repeated hour of a fall-back, Druid keeps the offset of the original instant and PostgreSQL
 * takes the later instant (after the transition); the later one is one hour on (a DST shift of
 * one hour, as in all but a few zones such as Australia/Lord_Howe) and shows the same wall
 * clock. Months and years already shift in sqlTimeZone in Druid; hours and smaller units are
 * fixed durations in both.
 */

const DAY_UNIT = 'DAY';
const WALL_CLOCK = 'yyyy-MM-dd HH:mm:ss.SSS';

/** Days of a day interval literal, else undefined. */
function intervalDays(ex: SqlExpression): number | undefined {
  if (!(ex instanceof SqlInterval) || ex.unit?.toUpperCase() !== DAY_UNIT) return undefined;
  const value = ex.intervalValue?.value;
  return typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : undefined;
}

/** A day interval, or k * day interval: its period and step. */
function dayShift(ex: SqlExpression): { days: number; step: SqlExpression } | undefined {
  const days = intervalDays(ex);
  if (days !== undefined) return { days, step: L(1) };
  if (!(ex instanceof SqlMulti) || ex.op !== '*') return undefined;
  const [a, b] = ex.getArgArray();
  if (a === undefined || b === undefined || ex.getArgArray().length !== 2) return undefined;
  const left = intervalDays(a);
  const right = intervalDays(b);
  if (right !== undefined) return { days: right, step: a };
  if (left !== undefined) return { days: left, step: b };
  return undefined;
}

/** ts + days, days + ts or ts - days as TIME_SHIFT; undefined for other operands. */
export function calendarShift(op: string, lhs: Typed, rhs: Typed): Typed | undefined {
  if (op !== '+' && op !== '-') return undefined;
  const [ts, interval] = lhs.type === 'TIMESTAMP' ? [lhs, rhs] : op === '+' ? [rhs, lhs] : [undefined, undefined];
  if (ts?.type !== 'TIMESTAMP' || interval === undefined) return undefined;
  const shift = dayShift(interval.ex);
  if (shift === undefined) return undefined;
  const step = op === '-' ? negate(shift.step) : shift.step;
  const ex = laterOfRepeated(SqlFunction.simple('TIME_SHIFT', [ts.ex, L(`P${shift.days}D`), step]));
  return { ex, type: 'TIMESTAMP', nullable: lhs.nullable || rhs.nullable, ...(ts.naive === true ? { naive: true } : {}) };
}

function negate(step: SqlExpression): SqlExpression {
  if (step instanceof SqlLiteral && typeof step.value === 'number') return L(-step.value);
  return new SqlUnary({ op: '-', argument: operand(step, Prec.unary) });
}

/** The instant, or the one an hour later when that shows the same wall clock (a repeated hour). */
function laterOfRepeated(instant: SqlExpression): SqlExpression {
  const hourLater = SqlMulti.create('+', [instant, SqlInterval.create('HOUR', 1)]);
  const wall = (ex: SqlExpression): SqlExpression => SqlFunction.simple('TIME_FORMAT', [ex, L(WALL_CLOCK)]);
  const part = SqlWhenThenPart.create(wall(hourLater).equal(wall(instant)), hourLater);
  return new SqlCase({ whenThenParts: SeparatedArray.fromArray([part]), elseExpression: instant });
}
