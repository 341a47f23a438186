import { L, SqlComparison, SqlExpression, SqlFunction, SqlLiteral, type SqlBase, type SqlQuery } from 'druid-query-toolkit';
import { list, nodeBody, nodeType, str } from '../ast.js';
import type { Typed } from './typing.js';

/**
 * True when GROUP BY's grouping sets include the empty one (ROLLUP, CUBE, or `()` in GROUPING
 * SETS): PostgreSQL then returns a grand-total row even for an empty input
 * (https://www.postgresql.org/docs/current/queries-table-expressions.html#QUERIES-GROUPING-SETS).
 */
export function hasEmptyGroupingSet(groupClause: unknown[]): boolean {
  return groupClause.some((g) => {
    if (nodeType(g) !== 'GroupingSet') return false;
    const body = nodeBody(g);
    const kind = str(body.kind);
    if (kind === 'GROUPING_SET_ROLLUP' || kind === 'GROUPING_SET_CUBE') return true;
    return list(body.content).some((c) => nodeType(c) === 'GroupingSet' && str(nodeBody(c).kind) === 'GROUPING_SET_EMPTY');
  });
}

/**
 * Druid returns no row at all for grouping sets over an empty input (docs/sql-compatibility.md,
 * "Druid bugs guarded"). This is the same query without GROUP BY, with each grouped expression
 * NULL (as in PostgreSQL's grand-total row) and `COUNT(*) = 0` added to HAVING: one row, with
 * PostgreSQL's values, exactly when the input is empty and HAVING holds; the session runs it
 * when the grouping query returned no rows. Over no rows every aggregate is independent of its
 * argument, so replacing grouped expressions inside aggregates changes nothing.
 */
export function emptyInputTotal(query: SqlQuery, grouped: Typed[]): SqlQuery {
  const nulls = new Map(grouped.map((g) => [g.ex.toString(), typedNull(g)]));
  const replace = (node: SqlBase): SqlBase => (node instanceof SqlExpression && !(node instanceof SqlLiteral) ? (nulls.get(node.toString()) ?? node) : node);
  const select = query.getSelectExpressionsArray().map((ex) => {
    const total = ex.walk(replace) as SqlExpression;
    // A replaced unaliased column keeps its output name.
    const name = ex.getOutputName();
    return total.getOutputName() === name || name === undefined ? total : total.as(name);
  });
  const having = query.getHavingExpression()?.walk(replace) as SqlExpression | undefined;
  const empty = SqlComparison.equal(SqlFunction.count(), L(0));
  return query
    .changeGroupByClause(undefined)
    .changeOrderByClause(undefined)
    .changeLimitClause(undefined)
    .changeOffsetClause(undefined)
    .changeSelectExpressions(select)
    .changeHavingExpression(having === undefined ? empty : having.ensureParens().and(empty));
}

/** A NULL of the grouped expression's type (Druid cannot type a bare NULL inside functions). */
function typedNull(value: Typed): SqlExpression {
  switch (value.type) {
    case 'VARCHAR':
    case 'BIGINT':
    case 'DOUBLE':
    case 'TIMESTAMP':
    case 'DATE':
    case 'BOOLEAN':
      return SqlFunction.cast(L.NULL, value.type);
    case 'INTEGER':
      return SqlFunction.cast(L.NULL, 'BIGINT');
    case 'DECIMAL':
    case 'FLOAT':
      return SqlFunction.cast(L.NULL, 'DOUBLE');
    default:
      return L.NULL;
  }
}
