/**
 * Druid's usual timestamp text, `YYYY-MM-DDTHH:MM:SS.sssZ` (ISO 8601 in UTC with milliseconds,
 * docs/druid-api.md), read from its bytes; NaN when the text has another form or a field outside
 * the ranges below, which src/driver/values.ts instantMs() then reads (Date.parse). Rows of a result
 * mostly share their date, so a reader keeps the last date's text and its day in milliseconds.
 */

const ISO_LENGTH = 24;
const DASH = 0x2d;
const LETTER_T = 0x54;
const COLON = 0x3a;
const DOT = 0x2e;
const LETTER_Z = 0x5a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** `YYYY-MM-DDT`: the part of the text a reader keeps from one timestamp to the next. */
const DATE_PREFIX = 11;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const FEBRUARY = 2;
const LEAP_FEBRUARY_DAYS = 29;
const LAST_MONTH = 12;
const LAST_HOUR = 23;
const LAST_MINUTE = 59;
const LAST_SECOND = 59;
const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;
/** Days in a 400-year Gregorian cycle, and from 0000-03-01 to 1970-01-01. */
const DAYS_PER_ERA = 146_097;
const UNIX_EPOCH_DAY = 719_468;

/** The number of `count` digits at buf[at], or NaN when one is not a digit. */
function digits(buf: Uint8Array, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = buf[i] as number;
    if (c < DIGIT_0 || c > DIGIT_9) return NaN;
    n = n * 10 + (c - DIGIT_0);
  }
  return n;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil,
 * https://howardhinnant.github.io/date_algorithms.html#days_from_civil).
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_ERA + dayOfEra - UNIX_EPOCH_DAY;
}

/** Whether `year` is a Gregorian leap year. */
function leapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** The days of month `month` (1-12) of `year`. */
function daysInMonth(year: number, month: number): number {
  return month === FEBRUARY && leapYear(year) ? LEAP_FEBRUARY_DAYS : (DAYS_IN_MONTH[month - 1] as number);
}

/** Reads timestamp texts, keeping the day of the last date read (see above). */
export class IsoReader {
  private readonly prefix = new Uint8Array(DATE_PREFIX);
  /** Epoch milliseconds at the start of the day in `prefix`; NaN until a date was read. */
  private dayMs = NaN;

  /** Epoch milliseconds of the 24 bytes of text at buf[s], or NaN (see above). */
  read(buf: Uint8Array, s: number): number {
    if (!this.samePrefix(buf, s) && !this.readDate(buf, s)) return NaN;
    if (!(buf[s + 13] === COLON && buf[s + 16] === COLON && buf[s + 19] === DOT && buf[s + 23] === LETTER_Z)) return NaN;
    const hour = digits(buf, s + 11, 2);
    const minute = digits(buf, s + 14, 2);
    const second = digits(buf, s + 17, 2);
    const ms = digits(buf, s + 20, 3);
    if (!(hour <= LAST_HOUR && minute <= LAST_MINUTE && second <= LAST_SECOND && ms >= 0)) return NaN;
    return this.dayMs + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND + ms;
  }

  /** Epoch milliseconds of the text buf[s, e), or NaN (see above). */
  readText(buf: Uint8Array, s: number, e: number): number {
    return e - s === ISO_LENGTH ? this.read(buf, s) : NaN;
  }

  private samePrefix(buf: Uint8Array, s: number): boolean {
    const prefix = this.prefix;
    for (let i = 0; i < DATE_PREFIX; i++) if (buf[s + i] !== prefix[i]) return false;
    return this.dayMs === this.dayMs;
  }

  /** Reads the date part `YYYY-MM-DDT` at buf[s] into the cache; false when it is not a valid date. */
  private readDate(buf: Uint8Array, s: number): boolean {
    if (!(buf[s + 4] === DASH && buf[s + 7] === DASH && buf[s + 10] === LETTER_T)) return false;
    const year = digits(buf, s, 4);
    const month = digits(buf, s + 5, 2);
    const day = digits(buf, s + 8, 2);
    if (!(year >= 0 && month >= 1 && month <= LAST_MONTH && day >= 1 && day <= daysInMonth(year, month))) return false;
    this.dayMs = daysFromCivil(year, month, day) * MS_PER_DAY;
    for (let i = 0; i < DATE_PREFIX; i++) this.prefix[i] = buf[s + i] as number;
    return true;
  }
}
