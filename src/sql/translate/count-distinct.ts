import { L, SqlCase, SqlFunction, type SqlExpression } from 'druid-query-toolkit';
import { bodyIf, names, nodeType, type AstBody } from '../ast.js';

/** Node types that start another query level: their aggregates belong to that level. */
const OTHER_LEVELS: ReadonlySet<string> = new Set(['SubLink', 'RangeSubselect', 'SelectStmt']);

/**
 * True when this SELECT level (its target list, HAVING and ORDER BY, not its subqueries) calls
 * count(DISTINCT ..): Druid then plans the level as a join of grouping queries.
 */
export function levelCountsDistinct(body: AstBody): boolean {
  return [body.targetList, body.havingClause, body.sortClause].some(holdsCountDistinct);
}

function holdsCountDistinct(tree: unknown): boolean {
  if (Array.isArray(tree)) return tree.some(holdsCountDistinct);
  if (tree === null || typeof tree !== 'object') return false;
  const type = nodeType(tree);
  if (type !== undefined && OTHER_LEVELS.has(type)) return false;
  const call = bodyIf(tree, 'FuncCall');
  if (call !== undefined && call.agg_distinct === true && call.over === undefined && names(call.funcname).at(-1) === 'count') return true;
  return Object.values(tree).some((v) => v !== null && typeof v === 'object' && holdsCountDistinct(v));
}

/**
 * COUNT(*) or COUNT(x) of a level with an exact COUNT(DISTINCT ..). Druid 33 plans that level as
 * a grouping query joined or nested under another, where COUNT becomes a SUM of per-group counts:
 * NULL over no rows (`SELECT COUNT(DISTINCT city), COUNT(*) FROM events WHERE city = 'none'`
 * gives 0 and NULL), and it drops `COALESCE(COUNT(*), 0)` because it takes COUNT as never NULL
 * (docs/sql-compatibility.md, "Druid bugs guarded"). PostgreSQL's count is never NULL. The count
 * is written as a SUM of ones, which Druid types as nullable, so the COALESCE stays.
 */
export function joinPlanCount(arg: SqlExpression | undefined, filtered: (fn: SqlFunction) => SqlFunction): SqlExpression {
  const one = arg === undefined ? L(1) : SqlCase.ifThenElse(arg.isNotNull(), 1, 0);
  return SqlFunction.simple('COALESCE', [filtered(SqlFunction.sum(one)), L(0)]);
}
