import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';

/** The largest UTC offset PostgreSQL accepts for a time zone, in hours. */
const MAX_OFFSET_HOURS = 15;
const NUMERIC_HOURS = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
/** POSIX offset form: optional abbreviation, then hours west of UTC (`UTC+3`, `GMT-05:00`, `<+05>-05`). */
const POSIX_OFFSET = /^(?:[A-Za-z]{3,}|<[^>]+>)?([+-]?)(\d{1,2})(?::(\d{2}))?$/;

/** An ISO-8601 offset '+HH:MM' for minutes east of UTC ('UTC' for zero). */
function isoOffset(minutesEast: number): string {
  if (minutesEast === 0) return 'UTC';
  const abs = Math.abs(minutesEast);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${minutesEast > 0 ? '+' : '-'}${hh}:${mm}`;
}

/**
 * Resolves a TimeZone setting to a zone ID that Druid's sqlTimeZone (Joda) accepts: an IANA name
 * as written, or a fixed offset '+HH:MM'. PostgreSQL reads a plain number as hours EAST of UTC
 * (SQL convention) and a POSIX string such as 'UTC+3' or 'GMT-05:00' as hours WEST:
 * https://www.postgresql.org/docs/current/datetime-posix-timezone-specs.html
 */
export function resolveTimeZone(value: string): string {
  const trimmed = value.trim();
  const upper = trimmed.toUpperCase();
  if (upper === 'UTC' || upper === 'GMT' || upper === 'Z' || upper === 'ZULU' || upper === 'UCT') return 'UTC';
  if (NUMERIC_HOURS.test(trimmed)) return zoneFromHours(Number(trimmed));
  const posix = POSIX_OFFSET.exec(trimmed);
  if (posix) {
    const minutesWest = Number(posix[2]) * 60 + Number(posix[3] ?? '0');
    if (minutesWest > MAX_OFFSET_HOURS * 60) throw invalidZone(value);
    return isoOffset(posix[1] === '-' ? minutesWest : -minutesWest);
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    throw invalidZone(value);
  }
  // PostgreSQL finds zone names in any case; Joda only in their own case, and reads an unknown
  // spelling as UTC without an error ('america/new_york'). A name with capitals is passed on as
  // written (ICU would rename some that Joda knows, Asia/Kolkata -> Asia/Calcutta); an all
  // lower-case one becomes ICU's spelling of the same zone.
  return trimmed === trimmed.toLowerCase() ? resolved : trimmed;
}

/** The zone for `SET TIME ZONE n` or a numeric string: n hours EAST of UTC (fractions allowed). */
export function zoneFromHours(hours: number): string {
  if (!Number.isFinite(hours) || Math.abs(hours) > MAX_OFFSET_HOURS) throw invalidZone(String(hours));
  return isoOffset(Math.round(hours * 60));
}

function invalidZone(value: string): PgError {
  return new PgError(SqlState.InvalidParameterValue, `invalid value for parameter "TimeZone": "${value}"`);
}
