import { L, SqlFunction, type SqlExpression } from 'druid-query-toolkit';

/**
 * lower() as PostgreSQL computes it under a libc locale (the twin's C.UTF-8): one character at a
 * time (towlower). Druid's LOWER is Java's toLowerCase, which also applies Unicode's special
 * casing: 'İ' (U+0130) becomes 'i' plus a combining dot and a word-final 'Σ' becomes 'ς'
 * (PostgreSQL: 'i' and 'σ'). Mapping those two characters first makes both agree; JavaScript's
 * toLowerCase behaves as Java's.
 */
const SPECIAL: ReadonlyArray<[string, string]> = [
  ['\u0130', 'i'],
  ['\u03A3', '\u03C3'],
];

/** LOWER(x) with PostgreSQL's per-character result. */
export function pgLower(x: SqlExpression): SqlExpression {
  const mapped = SPECIAL.reduce<SqlExpression>((ex, [from, to]) => SqlFunction.simple('REPLACE', [ex, L(from), L(to)]), x);
  return SqlFunction.simple('LOWER', [mapped]);
}

/** lower() of a literal, computed here as PostgreSQL computes it. */
export function pgLowerText(text: string): string {
  return SPECIAL.reduce((t, [from, to]) => t.replaceAll(from, to), text).toLowerCase();
}
