/**
 * timestamptz_out / timestamp_out text of epoch milliseconds, for result columns Druid returns
 * as TIMESTAMP_TO_MILLIS (src/sql/translate/timestamp-output.ts). The same text as
 * timestamptzText / timestampText in datetime.ts for a whole-millisecond instant, with the date
 * part and the zone suffix cached: rows of a result mostly share a day and an offset.
 */
import { MS_PER_DAY } from './civil.js';
import { dateParts, offsetText } from './datetime.js';
import { zoneOffsetFn } from './timezone.js';

const MS_PER_SECOND = 1000;
const SECONDS_PER_HOUR = 3600;
const SECONDS_PER_MINUTE = 60;
const MS_FRACTIONS = 1000;

/** '00'..'59': two-digit hours, minutes and seconds. */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => (i < 10 ? '0' : '') + String(i));
/** '', '.001'..'.999' without trailing zeros: the fraction of a whole millisecond (datetime.ts clockText). */
const FRACTIONS = Array.from({ length: MS_FRACTIONS }, (_, i) => (i === 0 ? '' : '.' + String(i * 1000).padStart(6, '0').replace(/0+$/, '')));

/** Prints epoch milliseconds (a safe integer) as timestamptz (with the zone's offset) or timestamp text. */
export type EpochText = (epochMs: number) => string;

export function epochTextFn(timeZone: string, withOffset: boolean): EpochText {
  const zone = zoneOffsetFn(timeZone);
  let day = Number.NaN;
  let date = '';
  let era = '';
  let offset = Number.NaN;
  let suffix = '';
  return (epochMs) => {
    const seconds = zone(epochMs);
    const wall = epochMs + seconds * MS_PER_SECOND;
    const days = Math.floor(wall / MS_PER_DAY);
    if (days !== day) {
      const [d, e] = dateParts(days);
      day = days;
      date = d + ' ';
      era = e;
    }
    if (withOffset && seconds !== offset) {
      offset = seconds;
      suffix = offsetText(seconds);
    }
    const msOfDay = wall - days * MS_PER_DAY;
    const s = Math.floor(msOfDay / MS_PER_SECOND);
    const clock =
      (TWO_DIGITS[Math.floor(s / SECONDS_PER_HOUR)] as string) +
      ':' +
      (TWO_DIGITS[Math.floor(s / SECONDS_PER_MINUTE) % SECONDS_PER_MINUTE] as string) +
      ':' +
      (TWO_DIGITS[s % SECONDS_PER_MINUTE] as string) +
      (FRACTIONS[msOfDay % MS_PER_SECOND] as string);
    return withOffset ? date + clock + suffix + era : date + clock + era;
  };
}
