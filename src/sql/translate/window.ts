import { SqlExpression, SqlFunction, SqlOrderByClause, SqlPartitionByClause, SqlWindowSpec } from 'druid-query-toolkit';
import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import { bodyIf, list, names, nodeBody, num, str, type AstBody } from '../ast.js';
import { isAggregate } from './aggregates.js';
import { expr, exprs, type Env } from './expr.js';
import { plainCall } from './functions.js';
import { sortKeys } from './order.js';
import { hasWindow } from './scan-order.js';
import { refuse } from './state.js';
import type { Typed } from './typing.js';
import { inexactNumeric, movedExact, refuseInexactWindow } from './window-exact.js';

/** Ranking and value window functions (functions-window.html) and their result types. */
const WINDOW_ONLY: Readonly<Record<string, 'BIGINT' | 'DOUBLE' | 'arg'>> = {
  row_number: 'BIGINT',
  rank: 'BIGINT',
  dense_rank: 'BIGINT',
  percent_rank: 'DOUBLE',
  cume_dist: 'DOUBLE',
  ntile: 'BIGINT',
  lag: 'arg',
  lead: 'arg',
  first_value: 'arg',
  last_value: 'arg',
};

/** Druid aggregates that take OVER (https://druid.apache.org/docs/latest/querying/sql-window-functions). */
const WINDOW_AGGREGATES: ReadonlySet<string> = new Set(['COUNT', 'SUM', 'MIN', 'MAX', 'AVG', 'STRING_AGG', 'ARRAY_AGG']);

/** FRAMEOPTION_NONDEFAULT (parsenodes.h): set when the window has an explicit frame clause. */
const FRAMEOPTION_NONDEFAULT = 0x1;

/** `f(...) OVER (PARTITION BY ... ORDER BY ...)` with the default frame; named windows and frames are refused. */
export function windowCall(outer: Env, body: AstBody, name: string): Typed {
  const inWindow: Env = { ...outer, inWindow: true };
  const over = (body.over ?? {}) as AstBody;
  if (str(over.refname) !== undefined || str(over.name) !== undefined) throw refuse(outer.state, 'named windows', body.location, 'Write the window inline in OVER (...).');
  if (((num(over.frameOptions) ?? 0) & FRAMEOPTION_NONDEFAULT) !== 0) {
    throw refuse(outer.state, 'window frame clauses', body.location, 'Use the default frame (no ROWS/RANGE clause).');
  }
  if (body.agg_filter !== undefined) throw refuse(outer.state, 'FILTER on a window function', body.location);
  // A key without an aggregate keeps its IN lists, so that it stays equal to the GROUP BY key it
  // repeats: Druid fails on `PARTITION BY CASE WHEN status = 301 ..` beside `GROUP BY CASE WHEN
  // status IN (301) ..` ("Expression 'status' is not being grouped").
  const keyEnv = (node: unknown): Env => (holdsAggregate(node) ? inWindow : outer);
  // A key Druid holds as a double for a PostgreSQL numeric could tie or merge values PostgreSQL
  // tells apart (window-exact.ts).
  const key = (node: unknown): Typed => {
    const value = expr(keyEnv(node), node);
    if (inexactNumeric(value)) throw refuseInexactWindow(outer, `${name}() OVER`, body.location, 'a key');
    return value;
  };
  const partition = list(over.partitionClause).map((p) => key(p).ex);
  const order = list(over.orderClause).flatMap((item) => {
    const sort = nodeBody(item);
    const value = key(sort.node);
    return sortKeys(inWindow, sort, value.ex, value);
  });
  const spec = new SqlWindowSpec({
    ...(partition.length === 0 ? {} : { partitionByClause: SqlPartitionByClause.create(partition) }),
    ...(order.length === 0 ? {} : { orderByClause: SqlOrderByClause.create(order) }),
  });
  const env: Env = { ...inWindow, window: spec };
  const kind = WINDOW_ONLY[name];
  let fn: Typed;
  if (kind === undefined) {
    fn = plainCall(env, body, name);
    // A guarded SUM comes back with its windows applied (wide-sum.ts).
    if (hasWindow(fn.ex)) return fn;
    // Aggregates the translator writes as expressions (bool_and, stddev, ...) cannot take OVER.
    if (!(fn.ex instanceof SqlFunction) || !WINDOW_AGGREGATES.has(fn.ex.getEffectiveFunctionName().toUpperCase())) {
      throw refuse(env.state, `${name}() as a window function`, body.location, 'Compute it in a subquery and apply the window function to its result.');
    }
  } else {
    const first = bodyIf(list(body.args)[0], 'A_Const');
    if (kind === 'arg' && (first?.sval !== undefined || first?.isnull === true)) {
      // lag/lead/first_value/last_value take anyelement: an untyped literal has no type to take.
      throw new PgError(SqlState.DatatypeMismatch, 'could not determine polymorphic type because input has type unknown');
    }
    const aggregatesBefore = env.aggregates?.count ?? 0;
    const args = exprs(env, body.args);
    const constant = args[0] !== undefined && args[0].ex.getColumns().length === 0 && (env.aggregates?.count ?? 0) === aggregatesBefore;
    if (kind === 'arg' && constant) {
      // Druid fails at run time on a window of a constant ("Index 2 out of bounds for length 2").
      throw refuse(env.state, `${name}() of a value without a column`, body.location, `Select the constant outside ${name}(), or use CASE WHEN row_number() OVER (...) > 1 THEN value END.`);
    }
    const type = kind === 'arg' ? args[0]?.type : kind;
    // lag(avg(x)): the exact text moved, else refused (window-exact.ts).
    const exact = movedExact(name, args, spec);
    if (exact === undefined && args.some(inexactNumeric)) throw refuseInexactWindow(env, `${name}() OVER`, body.location);
    // The name is a key of WINDOW_ONLY, never client text.
    const ex = args.length === 0 ? SqlExpression.parse(`${name.toUpperCase()}()`) : SqlFunction.simple(name.toUpperCase(), args.map((a) => a.ex));
    fn = { ex, type, nullable: kind === 'arg', ...exact };
  }
  return { ...fn, ex: new SqlFunction({ ...(fn.ex as SqlFunction).valueOf(), windowSpec: spec }) };
}

/** True when the parse tree calls an aggregate (membership.ts writes IN lists under one apart). */
function holdsAggregate(tree: unknown): boolean {
  if (Array.isArray(tree)) return tree.some(holdsAggregate);
  if (tree === null || typeof tree !== 'object') return false;
  const call = bodyIf(tree, 'FuncCall');
  const name = names(call?.funcname).at(-1);
  if (call !== undefined && name !== undefined && isAggregate(name)) return true;
  return Object.values(tree).some((v) => v !== null && typeof v === 'object' && holdsAggregate(v));
}
