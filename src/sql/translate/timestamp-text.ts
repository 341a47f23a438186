import { L, SqlCase, SqlFunction, SqlMulti, SqlWhenThenPart, SeparatedArray, type SqlExpression } from 'druid-query-toolkit';
import type { Typed } from './typing.js';

/**
 * A value as PostgreSQL's text output prints it, for casts to text and implicit text conversion
 * (`||`, concat, string_agg). Druid's CAST(ts AS VARCHAR) prints 'YYYY-MM-DD HH:MM:SS' without
 * milliseconds or offset; PostgreSQL's timestamptz_out prints the session-zone wall clock, the
 * fraction without trailing zeros and the offset as +HH or +HH:MM ('2025-08-14 03:04:05.123+00'),
 * timestamp_out the same without offset
 * (https://www.postgresql.org/docs/current/datatype-datetime.html#DATATYPE-DATETIME-OUTPUT).
 * TIME_FORMAT formats in sqlTimeZone, the session TimeZone, with the offset of each instant.
 */

const WALL_CLOCK = 'yyyy-MM-dd HH:mm:ss';
const MILLIS = 'SSS';
/** Joda's offset with a colon: '+02:00', '+05:30'. */
const OFFSET = 'ZZ';
const MS_PER_SECOND = 1000;
const WHOLE_HOURS_SUFFIX = ':00';
const HOURS_WIDTH = 3;

function format(ex: SqlExpression, pattern: string): SqlExpression {
  return SqlFunction.simple('TIME_FORMAT', [ex, L(pattern)]);
}

function caseWhen(condition: SqlExpression, then: SqlExpression, otherwise: SqlExpression): SqlExpression {
  return new SqlCase({ whenThenParts: SeparatedArray.fromArray([SqlWhenThenPart.create(condition, then)]), elseExpression: otherwise });
}

/** '.fff' without trailing zeros, or '' on a whole second. */
function fraction(ex: SqlExpression): SqlExpression {
  const millis = SqlFunction.simple('MOD', [SqlFunction.simple('TIMESTAMP_TO_MILLIS', [ex]), L(MS_PER_SECOND)]);
  const digits = SqlFunction.simple('RTRIM', [format(ex, MILLIS), L('0')]);
  return caseWhen(millis.equal(L(0)), L(''), SqlMulti.create('||', [L('.'), digits]));
}

/** '+HH' for whole hours, else '+HH:MM'. */
function offset(ex: SqlExpression): SqlExpression {
  const full = format(ex, OFFSET);
  const wholeHours = SqlFunction.simple('RIGHT', [full, L(WHOLE_HOURS_SUFFIX.length)]).equal(L(WHOLE_HOURS_SUFFIX));
  return caseWhen(wholeHours, SqlFunction.simple('LEFT', [full, L(HOURS_WIDTH)]), full);
}

/** PostgreSQL's text of a timestamptz (or, naive, a timestamp) as a Druid expression. */
export function timestampText(ex: SqlExpression, naive: boolean): SqlExpression {
  const parts = [format(ex, WALL_CLOCK), fraction(ex)];
  if (!naive) parts.push(offset(ex));
  return SqlMulti.create('||', parts);
}

/** A value converted to text as PostgreSQL prints it: timestamps by timestampText, others by CAST. */
export function textOf(t: Typed): SqlExpression {
  if (t.type === 'TIMESTAMP') return timestampText(t.ex, t.naive === true);
  return t.type === 'VARCHAR' || t.type === undefined ? t.ex : SqlFunction.cast(t.ex, 'VARCHAR');
}
