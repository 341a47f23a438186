/**
 * timestamptz_out / timestamp_out text of epoch milliseconds, for result columns Druid returns
 * as TIMESTAMP_TO_MILLIS (src/sql/translate/timestamp-output.ts), written as ASCII bytes into a
 * buffer. The same text as timestamptzText / timestampText in datetime.ts for a
 * whole-millisecond instant, with the date part and the zone suffix cached as bytes: rows of a
 * result mostly share a day and an offset.
 */
import { MS_PER_DAY } from './civil.js';
import { dateParts, offsetText } from './datetime.js';
import { zoneOffsetFn } from './timezone.js';

const MS_PER_SECOND = 1000;
const SECONDS_PER_HOUR = 3600;
const SECONDS_PER_MINUTE = 60;
const MS_FRACTIONS = 1000;
const DIGIT_0 = 0x30;
const COLON = 0x3a;
const TEN = 10;

/** '', '.001'..'.999' without trailing zeros, as bytes: the fraction of a whole millisecond (datetime.ts clockText). */
const FRACTIONS = Array.from({ length: MS_FRACTIONS }, (_, i) =>
  Buffer.from(i === 0 ? '' : '.' + String(i * 1000).padStart(6, '0').replace(/0+$/, ''), 'latin1'),
);

/**
 * Writes the text of epoch milliseconds (a safe integer) into `dst` from `at` on, as timestamptz
 * (with the zone's offset) or timestamp text; returns the end of what it wrote (at most
 * EPOCH_TEXT_MAX_BYTES bytes).
 */
export type EpochTextWriter = (dst: Buffer, at: number, epochMs: number) => number;

/** Longest text written: a 6-digit year, the clock with milliseconds, a +HH:MM:SS offset and ' BC'. */
export const EPOCH_TEXT_MAX_BYTES = 48;

function copyBytes(dst: Buffer, at: number, bytes: Buffer): number {
  for (let k = 0; k < bytes.length; k++) dst[at + k] = bytes[k] as number;
  return at + bytes.length;
}

function twoDigits(dst: Buffer, at: number, n: number): void {
  dst[at] = DIGIT_0 + Math.floor(n / TEN);
  dst[at + 1] = DIGIT_0 + (n % TEN);
}

export function epochTextWriter(timeZone: string, withOffset: boolean): EpochTextWriter {
  const zone = zoneOffsetFn(timeZone);
  let day = Number.NaN;
  let date = Buffer.alloc(0);
  let era = '';
  let offset = Number.NaN;
  let suffix = '';
  /** The zone suffix (timestamptz) and the era, as bytes. */
  let tail = Buffer.alloc(0);
  return (dst, at, epochMs) => {
    const seconds = zone(epochMs);
    const wall = epochMs + seconds * MS_PER_SECOND;
    const days = Math.floor(wall / MS_PER_DAY);
    let tailChanged = false;
    if (days !== day) {
      const [d, e] = dateParts(days);
      day = days;
      date = Buffer.from(d + ' ', 'latin1');
      tailChanged = e !== era;
      era = e;
    }
    if (withOffset && seconds !== offset) {
      offset = seconds;
      suffix = offsetText(seconds);
      tailChanged = true;
    }
    if (tailChanged) tail = Buffer.from(suffix + era, 'latin1');
    const msOfDay = wall - days * MS_PER_DAY;
    const s = Math.floor(msOfDay / MS_PER_SECOND);
    let i = copyBytes(dst, at, date);
    twoDigits(dst, i, Math.floor(s / SECONDS_PER_HOUR));
    dst[i + 2] = COLON;
    twoDigits(dst, i + 3, Math.floor(s / SECONDS_PER_MINUTE) % SECONDS_PER_MINUTE);
    dst[i + 5] = COLON;
    twoDigits(dst, i + 6, s % SECONDS_PER_MINUTE);
    i = copyBytes(dst, i + 8, FRACTIONS[msOfDay % MS_PER_SECOND] as Buffer);
    return copyBytes(dst, i, tail);
  };
}
