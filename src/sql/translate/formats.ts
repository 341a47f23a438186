/**
 * PostgreSQL date/time format patterns (https://www.postgresql.org/docs/current/functions-formatting.html)
 * for to_char (as Joda patterns for Druid's TIME_FORMAT) and to_timestamp/to_date on literals.
 */

/** PostgreSQL pattern -> Joda pattern, longest first. Only patterns with identical output. */
const JODA: ReadonlyArray<[string, string]> = [
  ['FMMonth', 'MMMM'],
  ['FMDay', 'EEEE'],
  ['HH24', 'HH'],
  ['HH12', 'hh'],
  ['YYYY', 'yyyy'],
  ['DDD', 'DDD'],
  ['Mon', 'MMM'],
  ['Dy', 'EEE'],
  ['YY', 'yy'],
  ['MM', 'MM'],
  ['DD', 'dd'],
  ['HH', 'hh'],
  ['MI', 'mm'],
  ['SS', 'ss'],
  ['MS', 'SSS'],
  ['AM', 'a'],
  ['PM', 'a'],
];

/** Characters copied as they are by both PostgreSQL and Joda. */
const PUNCTUATION = /^[-/:., T]$/;

/** The Joda pattern printing what to_char(ts, format) prints, or undefined when not expressible. */
export function pgToJodaFormat(format: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < format.length) {
    const rest = format.slice(i);
    const match = JODA.find(([pg]) => rest.startsWith(pg));
    if (match !== undefined) {
      out += match[1];
      i += match[0].length;
      continue;
    }
    const ch = format[i] ?? '';
    if (ch === 'T') {
      out += "'T'";
    } else if (PUNCTUATION.test(ch)) {
      out += ch;
    } else if (ch === '"') {
      const end = format.indexOf('"', i + 1);
      if (end < 0) return undefined;
      const text = format.slice(i + 1, end);
      out += text === '' ? '' : `'${text.replaceAll("'", "''")}'`;
      i = end + 1;
      continue;
    } else {
      return undefined;
    }
    i++;
  }
  return out;
}

/** Parse fields: pattern -> digits it reads. */
const FIELDS: ReadonlyArray<[string, string, number]> = [
  ['YYYY', 'year', 4],
  ['HH24', 'hour', 2],
  ['MM', 'month', 2],
  ['DD', 'day', 2],
  ['MI', 'minute', 2],
  ['SS', 'second', 2],
  ['US', 'micro', 6],
  ['MS', 'milli', 3],
];

/**
 * Reads `text` with a to_timestamp format made of YYYY MM DD HH24 MI SS MS US and separators;
 * returns 'YYYY-MM-DD HH:MI:SS.fff' (sub-milliseconds must be zero) or undefined.
 */
export function parsePgDateTime(text: string, format: string): string | undefined {
  const values: Record<string, string> = {};
  let t = 0;
  let f = 0;
  while (f < format.length) {
    const rest = format.slice(f);
    const field = FIELDS.find(([pg]) => rest.startsWith(pg));
    if (field !== undefined) {
      const [pg, key, width] = field;
      const digits = /^\d+/.exec(text.slice(t))?.[0].slice(0, width);
      if (digits === undefined) return undefined;
      values[key] = digits;
      t += digits.length;
      f += pg.length;
      continue;
    }
    if (format[f] !== text[t]) return undefined;
    f++;
    t++;
  }
  if (t !== text.length || values.year === undefined) return undefined;
  const micro = values.micro?.padEnd(6, '0') ?? `${values.milli?.padEnd(3, '0') ?? '000'}000`;
  if (!micro.endsWith('000')) return undefined;
  const two = (v: string | undefined, fallback: string): string => (v ?? fallback).padStart(2, '0');
  return `${values.year}-${two(values.month, '1')}-${two(values.day, '1')} ${two(values.hour, '0')}:${two(values.minute, '0')}:${two(values.second, '0')}.${micro.slice(0, 3)}`;
}
