import { SeparatedArray, SqlCase, SqlWhenThenPart, type SqlExpression, type SqlWindowSpec } from 'druid-query-toolkit';
import { SqlState } from '../../errors/sqlstate.js';
import { list, names, nodeBody, nodeType, num, type AstBody } from '../ast.js';
import { typeCast } from './casts.js';
import { funcCall, sqlValueFunction, coalesce } from './functions.js';
import { constant } from './literals.js';
import { commonType, minMax } from './min-max.js';
import type { Scope } from './names.js';
import { aExpr, boolExpr, booleanTest, nullTest } from './operators.js';
import { failAt, refuse, type State } from './state.js';
import type { Shifts } from './stats-shift.js';
import { subLink } from './sublink.js';
import { tracked } from './numeric-flow.js';
import type { DruidType, Typed } from './typing.js';

/** Everything an expression rule sees: the translation state and the FROM scope. */
export interface Env {
  state: State;
  scope: Scope;
  /**
   * Resolves an unqualified name that is not an input column (GROUP BY / ORDER BY may name an
   * output column of the SELECT list).
   */
  outputAlias?: (name: string) => Typed | undefined;
  /** Counts aggregate calls of this SELECT level (a query with any is an aggregating query). */
  aggregates?: { count: number };
  /** Per-group references of this SELECT level's variance/stddev aggregates (stats-shift.ts). */
  shifts?: Shifts;
  /** This SELECT level calls count(DISTINCT ..): its plain counts are guarded (count-distinct.ts). */
  countsDistinct?: boolean;
  /** Translating the arguments or window of a window function (membership.ts writes IN as OR). */
  inWindow?: boolean;
  /** The window of the window function whose aggregate is being translated (wide-sum.ts applies it). */
  window?: SqlWindowSpec;
}

/** Translates one expression node. `hint` is the type the context expects (for `$n` and 'literals'). */
export function expr(env: Env, node: unknown, hint?: DruidType): Typed {
  return tracked(env.state, node, () => exprNode(env, node, hint));
}

function exprNode(env: Env, node: unknown, hint?: DruidType): Typed {
  const type = nodeType(node) ?? '';
  const body = nodeBody(node);
  switch (type) {
    case 'A_Const':
      return constant(env.state, body, hint);
    case 'ColumnRef':
      return columnRef(env, body);
    case 'ParamRef': {
      const { ex, type: paramType } = env.state.params.placeholder(num(body.number) ?? 0, hint);
      return { ex, type: paramType, nullable: true };
    }
    case 'A_Expr':
      return aExpr(env, body);
    case 'BoolExpr':
      return boolExpr(env, body);
    case 'NullTest':
      return nullTest(env, body);
    case 'BooleanTest':
      return booleanTest(env, body);
    case 'TypeCast':
      return typeCast(env, body);
    case 'FuncCall':
      return funcCall(env, body);
    case 'SQLValueFunction':
      return sqlValueFunction(env, body);
    case 'CoalesceExpr':
      return coalesce(env, body, hint);
    case 'CaseExpr':
      return caseExpr(env, body, hint);
    case 'CollateClause':
      throw refuse(env.state, 'COLLATE', body.location);
    case 'SubLink':
      return subLink(env, body);
    case 'MinMaxExpr':
      return minMax(env, body, hint);
    default:
      throw refuse(env.state, `expression ${type}`, body.location);
  }
}

/** Translates a list of expression nodes. */
export function exprs(env: Env, nodes: unknown, hint?: DruidType): Typed[] {
  return list(nodes).map((n) => expr(env, n, hint));
}

function columnRef(env: Env, body: AstBody): Typed {
  const fields = list(body.fields);
  if (fields.some((f) => nodeType(f) === 'A_Star')) {
    throw refuse(env.state, '* in an expression', body.location);
  }
  const parts = names(fields);
  const resolved = env.scope.resolve(env.state, parts, body.location);
  if (resolved !== undefined) return resolved;
  const alias = parts.length === 1 ? env.outputAlias?.(parts[0] ?? '') : undefined;
  if (alias !== undefined) return alias;
  throw env.scope.undefinedColumn(env.state, parts[0] ?? '', body.location);
}

function caseExpr(env: Env, body: AstBody, hint: DruidType | undefined): Typed {
  const subject = body.arg === undefined ? undefined : expr(env, body.arg);
  const whens = list(body.args).map((w) => {
    const when = nodeBody(w);
    const condition = expr(env, when.expr, subject === undefined ? 'BOOLEAN' : subject.type);
    const result = expr(env, when.result, hint);
    return { condition, result };
  });
  // The results share PostgreSQL's common type: 1 and 2.5 make a numeric, not an integer.
  const typed = (values: Typed[]): DruidType | undefined => hint ?? commonType(values.flatMap((v) => (v.type === undefined ? [] : [v.type])));
  const otherwise = body.defresult === undefined ? undefined : expr(env, body.defresult, typed(whens.map((w) => w.result)));
  const resultType = typed([...whens.map((w) => w.result), ...(otherwise === undefined ? [] : [otherwise])]);
  const parts = whens.map((w) => SqlWhenThenPart.create(w.condition.ex, w.result.ex));
  const ex: SqlExpression = new SqlCase({
    ...(subject === undefined ? {} : { caseExpression: subject.ex }),
    whenThenParts: SeparatedArray.fromArray(parts),
    ...(otherwise === undefined ? {} : { elseExpression: otherwise.ex }),
  });
  return { ex, type: resultType ?? otherwise?.type, nullable: true };
}

/** 42804 when an expression of the wrong type is used as a condition. */
export function requireBoolean(env: Env, value: Typed, location: unknown, clause: string): Typed {
  if (value.type !== undefined && value.type !== 'BOOLEAN') {
    throw failAt(env.state, SqlState.DatatypeMismatch, `argument of ${clause} must be type boolean, not type ${pgTypeName(value.type)}`, location);
  }
  return value;
}

function pgTypeName(type: DruidType): string {
  return PG_NAMES[type];
}

const PG_NAMES: Readonly<Record<DruidType, string>> = {
  BIGINT: 'bigint',
  INTEGER: 'integer',
  DOUBLE: 'double precision',
  FLOAT: 'real',
  DECIMAL: 'numeric',
  VARCHAR: 'text',
  TIMESTAMP: 'timestamp with time zone',
  DATE: 'date',
  BOOLEAN: 'boolean',
  OTHER: 'unknown',
};
