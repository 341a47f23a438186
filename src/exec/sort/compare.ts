import { exactParts, quotientParts, quotientText, splitSumText } from '../../types/quotient.js';
import { statisticText } from '../../types/statistic.js';
import type { DruidValue } from '../../schema/druid.js';

/** One ORDER BY key over an output column, with PostgreSQL's NULL placement. */
export interface SortKey {
  /** 0-based index of the column in the backend result. */
  column: number;
  descending: boolean;
  /** PostgreSQL default: NULLS LAST for ASC, NULLS FIRST for DESC. */
  nullsFirst: boolean;
  /** How to compare non-null values of the column. */
  kind: 'number' | 'text' | 'timestamp' | 'boolean' | 'quotient';
}

export type Row = DruidValue[];

/** Epoch milliseconds of a Druid TIMESTAMP value (ISO text with offset, or epoch millis). */
function epochMs(value: DruidValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Date.parse(String(value));
}

/**
 * Text order of the C collation: by Unicode code point (= UTF-8 byte order). JavaScript's `<`
 * compares UTF-16 code units, which disagrees for characters above U+FFFF against U+E000..U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && x <= 0xdfff && y >= 0xd800 && y <= 0xdfff) return x - y;
    if (x >= 0xd800 && x <= 0xdfff) return y >= 0xe000 ? 1 : x - y;
    if (y >= 0xd800 && y <= 0xdfff) return x >= 0xe000 ? -1 : x - y;
    return x - y;
  }
  return a.length - b.length;
}

function compareNumbers(a: DruidValue, b: DruidValue): number {
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const x = typeof a === 'bigint' ? a : BigInt(Math.trunc(Number(a)));
    const y = typeof b === 'bigint' ? b : BigInt(Math.trunc(Number(b)));
    if (x !== y) return x < y ? -1 : 1;
    // Same integer part: a fractional number decides (bigints are integers).
    const fx = typeof a === 'bigint' ? 0 : Number(a) - Math.trunc(Number(a));
    const fy = typeof b === 'bigint' ? 0 : Number(b) - Math.trunc(Number(b));
    return fx - fy;
  }
  const x = Number(a);
  const y = Number(b);
  // PostgreSQL orders NaN above every other number.
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

const INTEGER_TEXT = /^-?\d+$/;

/**
 * The numeric text PostgreSQL prints for an exact value the gateway computes: a quotient
 * `sum/count` (avg), a split sum `h:l:c` or integer, or a variance's `kind:n:Σy:Σy²`
 * (src/types/quotient.ts, statistic.ts); undefined for a plain number.
 */
function exactDecimal(value: DruidValue): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'string') return undefined;
  const statistic = statisticText(value);
  if (statistic !== undefined) return statistic;
  if (quotientParts(value) !== undefined) return quotientText(value);
  return exactParts(value) !== undefined || INTEGER_TEXT.test(value) ? splitSumText(value) : undefined;
}

/** Units and scale of a decimal text (numeric output: no exponent). */
function decimalParts(text: string): { units: bigint; scale: number } {
  const point = text.indexOf('.');
  const scale = point < 0 ? 0 : text.length - point - 1;
  return { units: BigInt(point < 0 ? text : `${text.slice(0, point)}${text.slice(point + 1)}`), scale };
}

/**
 * Order of two exact values as PostgreSQL orders the numerics it prints for them: an average
 * rounded to its display scale (so averages equal to that scale tie and the next key decides), a
 * sum, a variance or standard deviation. A value of another form compares as a double.
 */
function compareQuotients(a: DruidValue, b: DruidValue): number {
  const p = exactDecimal(a);
  const q = exactDecimal(b);
  if (p === undefined || q === undefined) return compareNumbers(p === undefined ? a : Number(p), q === undefined ? b : Number(q));
  const x = decimalParts(p);
  const y = decimalParts(q);
  const scale = Math.max(x.scale, y.scale);
  const u = x.units * 10n ** BigInt(scale - x.scale);
  const v = y.units * 10n ** BigInt(scale - y.scale);
  return u < v ? -1 : u > v ? 1 : 0;
}

function compareValues(a: DruidValue, b: DruidValue, kind: SortKey['kind']): number {
  switch (kind) {
    case 'number':
      return compareNumbers(a, b);
    case 'timestamp':
      return epochMs(a) - epochMs(b);
    case 'boolean':
      return Number(a === true || a === 1) - Number(b === true || b === 1);
    case 'quotient':
      return compareQuotients(a, b);
    case 'text':
      return compareCodePoints(typeof a === 'string' ? a : JSON.stringify(a), typeof b === 'string' ? b : JSON.stringify(b));
  }
}

/** A row comparator implementing ORDER BY with PostgreSQL's semantics. */
export function rowComparator(keys: readonly SortKey[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const key of keys) {
      const x = a[key.column] ?? null;
      const y = b[key.column] ?? null;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === key.nullsFirst ? -1 : 1;
      }
      const c = compareValues(x, y, key.kind);
      if (c !== 0) return key.descending ? -c : c;
    }
    return 0;
  };
}
