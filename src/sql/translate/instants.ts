import { L, SqlColumn, SqlFunction, SqlLiteral, SqlMulti, SqlPlaceholder, type SqlExpression } from 'druid-query-toolkit';
import { wallToInstant, zoneOffsetFn, type ZoneOffset } from '../../types/timezone.js';
import { refuse, type State } from './state.js';
import type { Typed } from './typing.js';

/**
 * Timestamp constants near DST transitions. Druid (Calcite) folds every TIMESTAMP constant,
 * MILLIS_TO_TIMESTAMP(n) included, into a wall-clock literal in sqlTimeZone and converts it back
 * to an instant with Joda, which picks one offset for a wall clock of the repeated hour (observed
 * on Druid 33 in Europe/Berlin: `__time >= MILLIS_TO_TIMESTAMP(1761436800000)` (00:00Z) filters
 * from 01:00Z; docs/sql-compatibility.md, "Druid and DST"). A comparison with such an instant is
 * therefore made on epoch milliseconds, `TIMESTAMP_TO_MILLIS(x) >= 1761436800000`, which Druid
 * still turns into a __time interval.
 */

const MS_PER_DAY = 86_400_000;
const MILLIS_TO_TIMESTAMP = 'MILLIS_TO_TIMESTAMP';
/**
 * Druid 33 fails to plan TIMESTAMP_TO_MILLIS of a computed timestamp (TIME_FLOOR ..) compared with
 * a constant number (XX000 "Expected literal but got[LITERAL]"); with every operand lowered by
 * this many milliseconds (`TIMESTAMP_TO_MILLIS(x) - 1 >= 1762055999999`) it plans, and the
 * comparison is the same (exact bigint arithmetic far from its limits).
 */
const PLAN_SHIFT_MS = 1;

/** The offset function of the session's TimeZone setting. */
export function sessionZone(state: State): ZoneOffset {
  return zoneOffsetFn(state.ctx.settings.get('timezone') ?? 'UTC');
}

/**
 * The instants showing a wall clock (ms since epoch read as UTC) in a zone, earliest first:
 * one, two in a repeated hour, none in a skipped one.
 */
export function wallInstants(wallMs: number, zone: ZoneOffset): number[] {
  const offsets = new Set([zone(wallMs - MS_PER_DAY), zone(wallMs), zone(wallMs + MS_PER_DAY)]);
  const instants = [...offsets].map((o) => wallMs - o * 1000).filter((instant) => wallMs - zone(instant) * 1000 === instant);
  return [...new Set(instants)].sort((a, b) => a - b);
}

/** True when the instant's wall clock in the zone also shows another instant (a repeated hour). */
export function isRepeatedWallClock(epochMs: number, zone: ZoneOffset): boolean {
  return wallInstants(epochMs + zone(epochMs) * 1000, zone).length > 1;
}

/** n of a MILLIS_TO_TIMESTAMP(n) literal instant, else undefined. */
function literalInstant(ex: SqlExpression): number | undefined {
  if (!(ex instanceof SqlFunction) || ex.getEffectiveFunctionName() !== MILLIS_TO_TIMESTAMP) return undefined;
  const args = ex.getArgArray();
  const arg = args[0];
  return args.length === 1 && arg instanceof SqlLiteral && typeof arg.value === 'number' ? arg.value : undefined;
}

/**
 * The instant of a TIMESTAMP '...' literal (timestampLiteral in literals.ts: a wall clock the
 * session zone shows exactly once, which Druid reads in sqlTimeZone as PostgreSQL reads it in
 * TimeZone), else undefined.
 */
function wallLiteralInstant(o: Typed, zone: ZoneOffset): number | undefined {
  if (o.type !== 'TIMESTAMP' || !(o.ex instanceof SqlLiteral) || !(o.ex.value instanceof Date)) return undefined;
  return wallToInstant(o.ex.value.getTime(), zone);
}

/** A `$n` of type timestamp: its value may lie in a repeated hour, so it is bound as an instant. */
function isTimestampParameter(o: Typed): boolean {
  return o.ex instanceof SqlPlaceholder && o.type === 'TIMESTAMP';
}

/**
 * The operands of a comparison (=, <>, <, ..., BETWEEN, IN), as epoch milliseconds when one of
 * them is an instant literal whose wall clock repeats in the session zone or a timestamp `$n`
 * (Druid reads a TIMESTAMP parameter as a sqlTimeZone wall clock too); unchanged otherwise.
 */
export function comparedInstants(state: State, operands: Typed[], location: unknown): Typed[] {
  const zone = sessionZone(state);
  const repeated = operands.some((o) => {
    const instant = literalInstant(o.ex);
    return (instant !== undefined && isRepeatedWallClock(instant, zone)) || isTimestampParameter(o);
  });
  if (!repeated) return operands;
  if (operands.some((o) => o.type !== 'TIMESTAMP' && o.type !== undefined)) {
    throw refuse(state, 'comparing a date with a timestamp in a repeated DST hour', location, 'Compare timestamps, e.g. CAST(d AS timestamptz).');
  }
  const constants = operands.map((o) => literalInstant(o.ex) ?? wallLiteralInstant(o, zone));
  const computed = operands.filter((o, i) => constants[i] === undefined && o.type !== undefined && !(o.ex instanceof SqlColumn) && !isTimestampParameter(o));
  // PostgreSQL compares a computed `timestamp without time zone` by its wall clock, which a
  // repeated hour shows for two instants (docs/sql-compatibility.md, Known differences).
  if (computed.some((o) => o.naive === true)) {
    throw refuse(state, 'comparing a computed timestamp with an instant in a repeated DST hour', location, 'Compare the timestamp column itself, or use an instant outside the repeated hour.');
  }
  const shift = computed.length > 0 && constants.some((c) => c !== undefined) ? PLAN_SHIFT_MS : 0;
  const lowered = (ex: SqlExpression): SqlExpression => (shift === 0 ? ex : SqlMulti.create('-', [ex, L(shift)]));
  return operands.map((o, i) => {
    const instant = constants[i];
    if (instant !== undefined) return { ...o, ex: L(instant - shift), type: 'BIGINT' };
    if (isTimestampParameter(o) && o.ex instanceof SqlPlaceholder) {
      state.params.bindAsEpochMillis(o.ex);
      return { ...o, ex: lowered(o.ex), type: 'BIGINT' };
    }
    if (o.type === undefined) return o;
    return { ...o, ex: lowered(SqlFunction.simple('TIMESTAMP_TO_MILLIS', [o.ex])), type: 'BIGINT' };
  });
}
