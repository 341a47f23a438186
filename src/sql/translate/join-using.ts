import { SqlColumn, SqlExpression, T } from 'druid-query-toolkit';
import { SqlState } from '../../errors/sqlstate.js';
import { list, nodeBody, str } from '../ast.js';
import type { RangeEntry, Scope } from './names.js';
import { failAt, type State } from './state.js';

/**
 * `JOIN .. USING (k, ..)` (https://www.postgresql.org/docs/current/queries-table-expressions.html):
 * the condition `l.k = r.k` for the one FROM item on each side that has a column k, and one merged
 * output column k, which is the left side's for INNER and LEFT joins (a RIGHT JOIN is written as a
 * LEFT JOIN with its sides swapped, from.ts, so its merged column is the right side's, as
 * PostgreSQL's). An unqualified k then names the merged column (Scope.merged); `SELECT *`, which
 * lists the merged columns first, is refused (Scope.star).
 */
export function usingCondition(state: State, using: unknown, scope: Scope, firstRight: number, location: unknown): SqlExpression {
  const left = scope.entries.slice(0, firstRight);
  const right = scope.entries.slice(firstRight);
  const terms = list(using).map((node) => {
    const name = str(nodeBody(node).sval) ?? '';
    const l = sideWith(state, left, name, 'left', location);
    const r = sideWith(state, right, name, 'right', location);
    scope.merged.set(name, { entry: l, sides: [l, r] });
    return SqlColumn.create(name, T(l.refName)).equal(SqlColumn.create(name, T(r.refName)));
  });
  return SqlExpression.and(...terms);
}

/** The one entry of `side` with a column `name` (PostgreSQL: 42703 for none, 42702 for several). */
function sideWith(state: State, side: readonly RangeEntry[], name: string, which: string, location: unknown): RangeEntry {
  const found = side.filter((e) => e.columns.some((c) => c.name === name));
  if (found.length > 1) throw failAt(state, SqlState.AmbiguousColumn, `common column name "${name}" appears more than once in ${which} table`, location);
  const entry = found[0];
  if (entry === undefined) throw failAt(state, SqlState.UndefinedColumn, `column "${name}" specified in USING clause does not exist in ${which} table`, location);
  return entry;
}
