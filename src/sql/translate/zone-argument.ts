import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import { refuse, type State } from './state.js';

/**
 * The time zone argument of date_trunc(unit, ts, zone), read as PostgreSQL reads it
 * (timestamptz_trunc_zone in timestamp.c): first as an abbreviation (`EST`, `CET`: fixed offsets,
 * never DST), then as an IANA name (case-insensitive), then as a POSIX spec, where a bare offset
 * counts hours WEST of UTC: '+05' is UTC-5 (https://www.postgresql.org/docs/current/datetime-posix-timezone-specs.html).
 * Druid (Joda) reads '+05' as UTC+5 and an IANA name it does not know in that exact spelling
 * ('america/new_york') silently as UTC, so every form is given to Druid as an ID Joda reads alike:
 * the ICU spelling of an IANA name, or an ISO offset '+HH:MM' east of UTC.
 */

/** POSIX offset with an optional UTC/GMT name: [+-]hh[:mm], the sign counting west. */
const POSIX_OFFSET = /^(?:UTC|GMT)?([+-]?)(\d{1,2})(?::(\d{2}))?$/i;
const ZERO_OFFSET_NAMES: ReadonlySet<string> = new Set(['UTC', 'GMT']);
/** Joda's offsets stop below 24 hours; PostgreSQL's POSIX reader accepts up to 167. */
const MAX_JODA_HOURS = 23;
const MINUTES_PER_HOUR = 60;

/** The Joda zone ID for a date_trunc zone argument; 22023 or 0A000 where it has none. */
export function druidZone(state: State, text: string, location: unknown): string {
  const trimmed = text.trim();
  if (ZERO_OFFSET_NAMES.has(trimmed.toUpperCase())) return 'UTC';
  const posix = POSIX_OFFSET.exec(trimmed);
  if (posix !== null) {
    const [, sign = '', hours = '0', minutes = '0'] = posix;
    if (Number(minutes) >= MINUTES_PER_HOUR) throw unknownZone(text);
    if (Number(hours) > MAX_JODA_HOURS) throw refuse(state, `time zone offset '${text}'`, location, 'Use an offset below 24 hours.');
    const west = Number(hours) * MINUTES_PER_HOUR + Number(minutes);
    return isoOffset(sign === '-' ? west : -west);
  }
  if (!trimmed.includes('/')) {
    // Without a '/', PostgreSQL tries its abbreviation table first (CET is a fixed +01 there).
    throw refuse(state, `time zone '${text}' in date_trunc()`, location, "Write an IANA zone name such as 'Europe/Paris' or a POSIX offset such as '+05' (hours west of UTC).");
  }
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    throw unknownZone(text);
  }
}

/** PostgreSQL's error for a zone it cannot read (raised at run time, so without a position). */
function unknownZone(text: string): PgError {
  return new PgError(SqlState.InvalidParameterValue, `time zone "${text}" not recognized`);
}

/** '+HH:MM' for minutes east of UTC; 'UTC' for zero. */
function isoOffset(minutesEast: number): string {
  if (minutesEast === 0) return 'UTC';
  const abs = Math.abs(minutesEast);
  const hh = String(Math.floor(abs / MINUTES_PER_HOUR)).padStart(2, '0');
  const mm = String(abs % MINUTES_PER_HOUR).padStart(2, '0');
  return `${minutesEast > 0 ? '+' : '-'}${hh}:${mm}`;
}
