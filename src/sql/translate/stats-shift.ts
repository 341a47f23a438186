import { C, L, SqlAlias, SqlColumn, SqlComparison, SqlExpression, SqlFunction, SqlGroupByClause, SqlJoinPart, SqlTable, T, type SqlBase, type SqlQuery } from 'druid-query-toolkit';
import { refuse, type State } from './state.js';

/**
 * Variance and standard deviation from sums of x - c for a per-group reference c near the mean:
 * the one-pass form sum(x^2) - sum(x)^2 / n cancels catastrophically when the mean is large
 * against the spread (stddev(latency_ms + 1e9): 819.2755 for 819.3303), the shifted form keeps
 * the spread's digits. c is the group's AVG(x) (any constant c gives the same variance in exact
 * arithmetic), joined from a query with the same FROM/WHERE grouped by the same keys (matched
 * with IS NOT DISTINCT FROM for NULL keys; ON TRUE to its one row without GROUP BY).
 */

const MARKER_PREFIX = '__polaris_shift_';
const REFERENCE_TABLE = '__polaris_shift';
const KEY_PREFIX = '__polaris_key_';

interface Reference {
  name: string;
  value: SqlExpression;
  filter: SqlExpression | undefined;
}

/** The references one SELECT level needs; aggregates register, the SELECT resolves. */
export class Shifts {
  private readonly refs: Reference[] = [];
  private resolved: Map<string, SqlExpression> | undefined;

  /** True when some aggregate of this level needs a reference. */
  get used(): boolean {
    return this.refs.length > 0;
  }

  /** A marker column standing for the reference of `value` (with its FILTER), resolved by `apply`. */
  reference(value: SqlExpression, filter: SqlExpression | undefined): SqlExpression {
    const found = this.refs.find((r) => r.value.equals(value) && (r.filter === undefined ? filter === undefined : filter !== undefined && r.filter.equals(filter)));
    if (found !== undefined) return C(found.name);
    const name = `${MARKER_PREFIX}${this.refs.length + 1}`;
    this.refs.push({ name, value, filter });
    return C(name);
  }

  /**
   * `query` (FROM/WHERE/GROUP BY/HAVING and the SELECT list) with its references: `source` is the
   * FROM/WHERE alone, `keys` the GROUP BY expressions (undefined without GROUP BY).
   */
  apply(state: State, query: SqlQuery, source: SqlQuery, keys: SqlExpression[] | undefined): SqlQuery {
    if (this.refs.length === 0) return query;
    const average = (r: Reference): SqlExpression => {
      const avg = SqlFunction.avg(r.value);
      return r.filter === undefined ? avg : avg.changeWhereExpression(r.filter);
    };
    const groupKeys = keys ?? [];
    guardOuterJoinKeys(state, source, groupKeys);
    // Without GROUP BY the reference query has one row (an aggregate over all rows): join it ON TRUE.
    const reference = source.changeSelectExpressions([...groupKeys.map((k, i) => k.as(`${KEY_PREFIX}${i + 1}`)), ...this.refs.map((r) => average(r).as(r.name))]);
    const grouped = groupKeys.length === 0 ? reference : reference.changeGroupByClause(SqlGroupByClause.create(groupKeys.map((_, i) => L(i + 1))));
    const matches = groupKeys.map((k, i) => SqlComparison.isNotDistinctFrom(k, SqlColumn.create(`${KEY_PREFIX}${i + 1}`, T(REFERENCE_TABLE))));
    const on = matches.length === 0 ? L(true) : SqlExpression.and(...matches);
    this.resolved = new Map(this.refs.map((r) => [r.name, SqlColumn.create(r.name, T(REFERENCE_TABLE))]));
    return this.resolve(state, query, undefined).addJoin(SqlJoinPart.create('INNER', grouped.ensureParens().as(REFERENCE_TABLE), on));
  }

  /** `node` with its markers replaced by their references; 0A000 for one registered after `apply`. */
  resolve<T extends SqlBase>(state: State, node: T, location: unknown): T {
    if (this.refs.length === 0) return node;
    return node.walk((n) => {
      if (!(n instanceof SqlColumn) || n.getTableName() !== undefined || !n.getName().startsWith(MARKER_PREFIX)) return n;
      const ref = this.resolved?.get(n.getName());
      if (ref === undefined) throw refuse(state, 'variance or standard deviation only in ORDER BY', location, 'Select it as well.');
      return ref;
    }) as T;
  }
}

/** Druid's time column, a LONG that a LEFT JOIN makes nullable. */
const TIME_COLUMN = '__time';

/**
 * 0A000 for a GROUP BY key over a column of a LEFT JOIN's right side that the join's ON names, or
 * over its __time.
 * Druid 33 fails the reference join with XX000 (java.util.NoSuchElementException) when the filtered
 * input is empty: `SELECT c.customer_id, variance(o.amount) FROM orders o LEFT JOIN customers c ON
 * o.customer_id = c.customer_id WHERE o.order_id IS NULL GROUP BY 1` (docs/sql-compatibility.md).
 */
function guardOuterJoinKeys(state: State, source: SqlQuery, keys: readonly SqlExpression[]): void {
  const joinKeys: SqlColumn[] = [];
  for (const join of source.fromClause?.getJoins() ?? []) {
    const table = join.table instanceof SqlAlias ? join.table.getAliasName() : join.table instanceof SqlTable ? join.table.getName() : undefined;
    if (join.joinType !== 'LEFT' || table === undefined) continue;
    // The right side's __time fails the same way (`GROUP BY c.__time`, campaign seed 301).
    joinKeys.push(SqlColumn.create(TIME_COLUMN, T(table)));
    join.onExpression?.walk((n) => {
      if (n instanceof SqlColumn && n.getTableName() === table) joinKeys.push(n);
      return n;
    });
  }
  if (joinKeys.length === 0) return;
  for (const key of keys) {
    let found = false;
    key.walk((n) => {
      if (n instanceof SqlColumn && joinKeys.some((k) => k.getName() === n.getName() && k.getTableName() === n.getTableName())) found = true;
      return n;
    });
    if (found) {
      throw refuse(
        state,
        'variance or standard deviation grouped by the right join key or __time of a LEFT JOIN',
        undefined,
        'Druid fails this form when no row passes the filter; select from the join in a subquery and group its output, or use an INNER JOIN.',
      );
    }
  }
}
