import { L, SqlComparison, SqlQuery } from 'druid-query-toolkit';
import { names, str, type AstBody } from '../ast.js';
import { expr, type Env } from './expr.js';
import { selectStatement } from './select.js';
import { refuse } from './state.js';
import type { Typed } from './typing.js';

/**
 * Subqueries in expressions (functions-subquery.html): `x IN (SELECT ...)`, EXISTS and scalar
 * subqueries, uncorrelated; Druid plans them as joins. A reference to an outer query's column
 * is refused (see Scope.resolve).
 */
export function subLink(env: Env, body: AstBody): Typed {
  const kind = str(body.subLinkType);
  const operator = names(body.operName).at(-1);
  const inner = (): SqlQuery => {
    const sub = selectStatement(env.state, body.subselect, env.scope.ctes, env.scope);
    return sub.query.ensureParens();
  };
  switch (kind) {
    case 'ANY_SUBLINK': {
      if (operator !== undefined && operator !== '=') throw refuse(env.state, `${operator} ANY (subquery)`, body.location, 'Use IN (subquery).');
      const lhs = expr(env, body.testexpr);
      return { ex: new SqlComparison({ op: 'IN', lhs: lhs.ex, rhs: inner() }), type: 'BOOLEAN', nullable: true };
    }
    case 'EXISTS_SUBLINK': {
      // Druid has no EXISTS ("No match found for function signature EXISTS"); 1 IN (SELECT 1
      // FROM (subquery)) is true exactly when the subquery has a row, and never NULL.
      const rows = SqlQuery.create(inner()).changeSelectExpressions([L(1)]);
      return { ex: new SqlComparison({ op: 'IN', lhs: L(1), rhs: rows.ensureParens() }), type: 'BOOLEAN', nullable: false };
    }
    case 'EXPR_SUBLINK': {
      const sub = selectStatement(env.state, body.subselect, env.scope.ctes, env.scope);
      const first = sub.columns[0];
      if (sub.columns.length !== 1 || first === undefined) throw refuse(env.state, 'a subquery returning several columns', body.location);
      return { ex: sub.query.ensureParens(), type: first.type, nullable: true };
    }
    default:
      throw refuse(env.state, `${(kind ?? '').replace('_SUBLINK', '')} subqueries`, body.location, 'Join the subquery in FROM instead.');
  }
}
