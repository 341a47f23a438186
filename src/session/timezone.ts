import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';

/**
 * Resolves a TimeZone setting to an IANA zone name that both Intl (for output) and Druid's
 * sqlTimeZone (Joda) understand. PostgreSQL also accepts POSIX-style offsets such as 'UTC+5' or
 * 'GMT-05:00', where a positive offset means WEST of Greenwich:
 * https://www.postgresql.org/docs/current/datetime-posix-timezone-specs.html
 */
export function resolveTimeZone(value: string): string {
  const trimmed = value.trim();
  const upper = trimmed.toUpperCase();
  if (upper === 'UTC' || upper === 'GMT' || upper === 'Z' || upper === 'ZULU' || upper === 'UCT') return 'UTC';
  const posix = /^(?:UTC|GMT|<[+-]?\d{1,2}>)?([+-]?)(\d{1,2})(?::(\d{2}))?$/i.exec(trimmed);
  if (posix) {
    const hours = Number(posix[2]);
    const minutes = Number(posix[3] ?? '0');
    if (minutes !== 0 || hours > 14) {
      throw invalidZone(value, 'only whole-hour POSIX offsets are supported; use an IANA zone name');
    }
    if (hours === 0) return 'UTC';
    const west = posix[1] !== '-';
    return `Etc/GMT${west ? '+' : '-'}${hours}`;
  }
  try {
    // Validated by Intl, but passed on as written: ICU would rename some zones (Asia/Kolkata ->
    // Asia/Calcutta) that Druid's Joda knows under the name the user gave.
    new Intl.DateTimeFormat('en-US', { timeZone: trimmed });
    return trimmed;
  } catch {
    throw invalidZone(value);
  }
}

/** The zone for a numeric `SET TIME ZONE n`: n hours EAST of UTC (ISO sign, unlike POSIX strings). */
export function zoneFromHours(hours: number): string {
  if (!Number.isInteger(hours) || Math.abs(hours) > 14) {
    throw invalidZone(String(hours), 'only whole-hour offsets are supported');
  }
  if (hours === 0) return 'UTC';
  return `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
}

function invalidZone(value: string, hint?: string): PgError {
  return new PgError(SqlState.InvalidParameterValue, `invalid value for parameter "TimeZone": "${value}"`, hint ? { hint } : {});
}
