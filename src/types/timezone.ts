import { wallToMs } from './civil.js';

/**
 * Session TimeZone resolution as PostgreSQL reads the TimeZone setting
 * (https://www.postgresql.org/docs/current/datatype-datetime.html#DATATYPE-TIMEZONES):
 * - a bare number ('-7', '5.5') is hours EAST of UTC (ISO sign);
 * - a POSIX spec without DST rules ('UTC+2', '<-07>+07', '+02:00', 'XYZ3') is hours WEST of UTC;
 * - anything else is an IANA zone name, resolved with Intl (tzdata of the Node runtime).
 * 'Z' is also read as UTC (PostgreSQL itself rejects it as a TimeZone value).
 */

/** Offset east of UTC, in seconds, in effect at the given instant. */
export type ZoneOffset = (epochMs: number) => number;

const UTC_NAMES = new Set(['UTC', 'GMT', 'Z', 'ZULU', 'UCT', 'ETC/UTC', 'ETC/GMT', 'UNIVERSAL', 'GREENWICH']);
const NUMERIC_ZONE = /^[+-]?\d+(?:\.\d+)?$/;
const POSIX_FIXED_ZONE = /^(?:[A-Za-z]{3,}|<[^>]+>)?([+-]?)(\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?$/;
const MS_PER_HOUR = 3_600_000;
const MAX_CACHED_HOURS = 100_000;

const utc: ZoneOffset = () => 0;
const resolved = new Map<string, ZoneOffset | null>();

function fixed(seconds: number): ZoneOffset {
  return () => seconds;
}

function intlZone(name: string): ZoneOffset | null {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null;
  }
  const exact = (epochMs: number): number => {
    const whole = Math.floor(epochMs / 1000) * 1000;
    const f: Record<string, string> = {};
    for (const part of format.formatToParts(whole)) f[part.type] = part.value;
    const year = f.era === 'BC' || f.era === 'B' ? 1 - Number(f.year) : Number(f.year);
    const wall = wallToMs(year, Number(f.month), Number(f.day), Number(f.hour), Number(f.minute), Number(f.second), 0);
    return (wall - whole) / 1000;
  };
  // Offsets are cached per UTC hour when the offset is the same at both ends of that hour.
  const byHour = new Map<number, number>();
  return (epochMs: number): number => {
    const hour = Math.floor(epochMs / MS_PER_HOUR);
    const cached = byHour.get(hour);
    if (cached !== undefined) return cached;
    const start = exact(hour * MS_PER_HOUR);
    if (start !== exact((hour + 1) * MS_PER_HOUR - 1000)) return exact(epochMs);
    if (byHour.size >= MAX_CACHED_HOURS) byHour.clear();
    byHour.set(hour, start);
    return start;
  };
}

function parseZone(name: string): ZoneOffset | null {
  const trimmed = name.trim();
  if (UTC_NAMES.has(trimmed.toUpperCase())) return utc;
  if (NUMERIC_ZONE.test(trimmed)) return fixed(Math.round(Number(trimmed) * 3600));
  const posix = POSIX_FIXED_ZONE.exec(trimmed);
  if (posix) {
    const west = Number(posix[2]) * 3600 + Number(posix[3] ?? 0) * 60 + Number(posix[4] ?? 0);
    return fixed(posix[1] === '-' ? west : -west);
  }
  return intlZone(trimmed);
}

/** The offset function of a TimeZone setting, or undefined when the name is not a known zone. */
export function resolveTimeZone(name: string): ZoneOffset | undefined {
  let zone = resolved.get(name);
  if (zone === undefined) {
    zone = parseZone(name);
    resolved.set(name, zone);
  }
  return zone ?? undefined;
}

/** Like resolveTimeZone, but an unknown name falls back to UTC (the session layer validates SET). */
export function zoneOffsetFn(name: string): ZoneOffset {
  return resolveTimeZone(name) ?? utc;
}

const MS_PER_DAY = 86_400_000;

/**
 * The instant of a wall-clock time (ms since epoch, read as UTC) in a zone. Like PostgreSQL, an
 * ambiguous time (DST overlap) takes the later instant, and a time in a DST gap is read with
 * the offset in effect before the gap.
 */
export function wallToInstant(wallMs: number, zone: ZoneOffset): number {
  const before = zone(wallMs - MS_PER_DAY);
  let best = Number.NEGATIVE_INFINITY;
  for (const offset of [before, zone(wallMs), zone(wallMs + MS_PER_DAY)]) {
    const instant = wallMs - offset * 1000;
    if (zone(instant) === offset && instant > best) best = instant;
  }
  return best === Number.NEGATIVE_INFINITY ? wallMs - before * 1000 : best;
}
