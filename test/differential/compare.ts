/**
 * Result comparison for the differential suite. Rules (also in docs/sql-compatibility.md):
 * - Same column count, names and value kinds (number, date, timestamp, boolean, text).
 * - Numbers (int2/4/8, float4/8, numeric) compare by value: integers exactly (as BigInt), others
 *   to 1e-9 relative, so PostgreSQL's numeric "229.4422000000000000" equals Druid's 229.4422.
 * - Timestamps compare by wall-clock value to the millisecond, and by UTC offset when both sides
 *   print one (timestamp and timestamptz are one kind: Druid has a single TIMESTAMP type).
 * - Everything else compares as exact text; NULL is distinct from ''.
 * - Rows compare in order when the query has a top-level ORDER BY, else as multisets.
 */

export interface Field {
  name: string;
  oid: number;
}

export interface ResultSet {
  fields: Field[];
  rows: Array<Array<string | null>>;
}

type Kind = 'number' | 'date' | 'timestamp' | 'boolean' | 'text';

/** PostgreSQL type OIDs (pg_type.oid) of the compared kinds. */
const KIND_BY_OID: ReadonlyMap<number, Kind> = new Map([
  [20, 'number'],
  [21, 'number'],
  [23, 'number'],
  [700, 'number'],
  [701, 'number'],
  [1700, 'number'],
  [1082, 'date'],
  [1114, 'timestamp'],
  [1184, 'timestamp'],
  [16, 'boolean'],
]);

const RELATIVE_TOLERANCE = 1e-9;
/** Significant digits of the sort key of a number (coarser than the tolerance). */
const KEY_DIGITS = 8;
const TIMESTAMP_TEXT = /^(\d{4,})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?([+-]\d{2}(?::\d{2}(?::\d{2})?)?)?( BC)?$/;

function kindOf(oid: number): Kind {
  return KIND_BY_OID.get(oid) ?? 'text';
}

/** Wall-clock milliseconds and printed offset of a date/timestamp text; undefined if unparsable. */
function parseTimestamp(text: string): { ms: number; offset: string | undefined } | undefined {
  const m = TIMESTAMP_TEXT.exec(text);
  if (m === null) return undefined;
  const [, y = '', mo = '', d = '', h = '0', mi = '0', s = '0', frac = '', offset] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.slice(0, 3).padEnd(3, '0')));
  return { ms, offset };
}

function numbersEqual(a: string, b: string): boolean {
  if (a === b) return true;
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) return BigInt(a) === BigInt(b);
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  return Math.abs(x - y) <= RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
}

function valuesEqual(kind: Kind, a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  switch (kind) {
    case 'number':
      return numbersEqual(a, b);
    case 'date':
    case 'timestamp': {
      const x = parseTimestamp(a);
      const y = parseTimestamp(b);
      if (x === undefined || y === undefined) return a === b;
      const offsetsAgree = x.offset === undefined || y.offset === undefined || x.offset === y.offset;
      return x.ms === y.ms && offsetsAgree;
    }
    default:
      return a === b;
  }
}

/** A sort key that equal values (under the tolerance) share in practice. */
function sortKey(kinds: Kind[], row: Array<string | null>): string {
  return row
    .map((v, i) => {
      if (v === null) return '\u0000N';
      const kind = kinds[i];
      if (kind === 'number') {
        const n = Number(v);
        return Number.isFinite(n) ? `n${n.toPrecision(KEY_DIGITS)}` : `s${v}`;
      }
      if (kind === 'date' || kind === 'timestamp') {
        const parsed = parseTimestamp(v);
        return parsed === undefined ? `s${v}` : `t${parsed.ms}${parsed.offset ?? ''}`;
      }
      return `s${v}`;
    })
    .join('\u0001');
}

function sorted(kinds: Kind[], rows: Array<Array<string | null>>): Array<Array<string | null>> {
  return rows
    .map((row) => ({ row, key: sortKey(kinds, row) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.row);
}

function show(row: Array<string | null> | undefined): string {
  return row === undefined ? '(none)' : JSON.stringify(row);
}

/** undefined when `actual` (the gateway) answers as `expected` (PostgreSQL) does, else why not. */
export function compareResults(expected: ResultSet, actual: ResultSet, ordered: boolean): string | undefined {
  const names = (r: ResultSet): string => r.fields.map((f) => f.name).join(', ');
  if (names(expected) !== names(actual)) return `columns differ: PostgreSQL (${names(expected)}) vs gateway (${names(actual)})`;
  const kinds = expected.fields.map((f) => kindOf(f.oid));
  for (const [i, field] of actual.fields.entries()) {
    const kind = kindOf(field.oid);
    if (kind !== kinds[i]) return `column "${field.name}" is ${kinds[i] ?? '?'} (oid ${expected.fields[i]?.oid ?? '?'}) in PostgreSQL, ${kind} (oid ${field.oid}) through the gateway`;
  }
  if (expected.rows.length !== actual.rows.length) {
    return `row count: PostgreSQL ${expected.rows.length}, gateway ${actual.rows.length}; first rows ${show(expected.rows[0])} vs ${show(actual.rows[0])}`;
  }
  const left = ordered ? expected.rows : sorted(kinds, expected.rows);
  const right = ordered ? actual.rows : sorted(kinds, actual.rows);
  for (const [r, row] of left.entries()) {
    const other = right[r] ?? [];
    for (const [c, value] of row.entries()) {
      if (!valuesEqual(kinds[c] ?? 'text', value, other[c] ?? null)) {
        return `row ${r + 1}${ordered ? '' : ' (sorted)'} column "${expected.fields[c]?.name ?? c}": PostgreSQL ${show(row)} vs gateway ${show(other)}`;
      }
    }
  }
  return undefined;
}
