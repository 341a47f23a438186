import { compareResults, type ResultSet } from './compare.js';

/**
 * The strict comparison of the corpus differential (issue 18 item 6, docs/sql-compatibility.md
 * "Differential testing"): every column's name, type OID and typmod as in PostgreSQL's
 * RowDescription, and every value's text byte for byte. The one tolerated difference is the last
 * digits of a float4/float8 value (an aggregate over doubles depends on the summation order):
 * such an answer is its own class, 'float', when it is otherwise equal under compareResults.
 */

export interface TypedField {
  name: string;
  oid: number;
  typmod: number;
}

export interface TypedResultSet extends ResultSet {
  fields: TypedField[];
}

export type StrictVerdict = { outcome: 'identical' } | { outcome: 'float'; note: string } | { outcome: 'mismatched'; note: string };

const FLOAT_OIDS: ReadonlySet<number> = new Set([700, 701]);

function describeField(f: TypedField | undefined): string {
  return f === undefined ? '(none)' : `${f.name} oid ${f.oid} typmod ${f.typmod}`;
}

/** The first value whose text differs, or undefined; rows in order or as sorted multisets. */
function firstTextDifference(expected: ResultSet, actual: ResultSet, ordered: boolean): { column: number; note: string } | undefined {
  const canon = (rows: Array<Array<string | null>>): Array<Array<string | null>> =>
    ordered ? rows : [...rows].sort((a, b) => {
      const x = JSON.stringify(a);
      const y = JSON.stringify(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  const left = canon(expected.rows);
  const right = canon(actual.rows);
  for (const [r, row] of left.entries()) {
    const other = right[r] ?? [];
    for (const [c, value] of row.entries()) {
      if (value !== (other[c] ?? null)) {
        return { column: c, note: `row ${r + 1}${ordered ? '' : ' (sorted)'} column "${expected.fields[c]?.name ?? c}": PostgreSQL ${JSON.stringify(row)} vs gateway ${JSON.stringify(other)}` };
      }
    }
  }
  return undefined;
}

/** How the gateway's answer (`actual`) relates to PostgreSQL's (`expected`). */
export function compareStrict(expected: TypedResultSet, actual: TypedResultSet, ordered: boolean): StrictVerdict {
  const count = Math.max(expected.fields.length, actual.fields.length);
  for (let i = 0; i < count; i++) {
    const e = expected.fields[i];
    const a = actual.fields[i];
    if (e?.name !== a?.name || e?.oid !== a?.oid || e?.typmod !== a?.typmod) {
      return { outcome: 'mismatched', note: `column ${i + 1}: PostgreSQL ${describeField(e)}, gateway ${describeField(a)}` };
    }
  }
  const valueDifference = compareResults(expected, actual, ordered);
  if (valueDifference !== undefined) return { outcome: 'mismatched', note: valueDifference };
  const text = firstTextDifference(expected, actual, ordered);
  if (text === undefined) return { outcome: 'identical' };
  // Equal under compareResults: only float columns may differ in their last digits.
  return onlyFloatColumnsDiffer(expected, actual, ordered) ? { outcome: 'float', note: text.note } : { outcome: 'mismatched', note: text.note };
}

/** True when blanking the float4/float8 columns leaves the texts identical. */
function onlyFloatColumnsDiffer(expected: TypedResultSet, actual: TypedResultSet, ordered: boolean): boolean {
  const floats = expected.fields.map((f) => FLOAT_OIDS.has(f.oid));
  if (!floats.some(Boolean)) return false;
  const blank = (r: ResultSet): ResultSet => ({ fields: r.fields, rows: r.rows.map((row) => row.map((v, c) => (floats[c] === true && v !== null ? '' : v))) });
  return firstTextDifference(blank(expected), blank(actual), ordered) === undefined;
}
