import { L, SqlExpression, SqlMulti, SqlUnary } from 'druid-query-toolkit';
import { bodyIf, list, type AstBody } from '../ast.js';
import { always, bigint, decimalConstant, guardBetween, highBound, listValues, lowBound, never } from './decimal-compare.js';
import { expr, type Env } from './expr.js';
import { comparedInstants } from './instants.js';
import { refuse } from './state.js';
import { isIntegral, operand, Prec, type Typed } from './typing.js';

/** IN lists, BETWEEN and `= ANY(ARRAY[..])`: integers compare exactly with decimal constants, timestamps as instants. */

export function inList(env: Env, body: AstBody, negated: boolean): Typed {
  const given = expr(env, body.lexpr);
  const items = list(bodyIf(body.rexpr, 'List')?.items);
  if (items.length === 0) throw refuse(env.state, 'IN with a subquery', body.location, 'Join the subquery in FROM instead.');
  // Integers compare exactly with decimal constants; timestamps as instants where a DST wall clock is ambiguous.
  const [lhs = given, values] = isIntegral(given.type) ? [given, listValues(env, given, items)] as const : instantList(env, body, given, items);
  const left = operand(lhs.ex, Prec.comparison, true);
  if (values.length === 0) return { ex: negated ? always(left) : never(left), type: 'BOOLEAN', nullable: true };
  return { ex: negated ? left.notIn(values) : left.in(values), type: 'BOOLEAN', nullable: true };
}

/** The left side and list values of IN / = ANY, compared as instants where a DST wall clock is ambiguous. */
function instantList(env: Env, body: AstBody, given: Typed, items: unknown[]): readonly [Typed, SqlExpression[]] {
  const [lhs = given, ...typed] = comparedInstants(env.state, [given, ...items.map((item) => expr(env, item, given.type))], body.location);
  return [lhs, typed.map((t) => operand(t.ex, Prec.comparison))];
}

/** BETWEEN [SYMMETRIC]: SYMMETRIC accepts the bounds in either order. */
export function between(env: Env, body: AstBody, negated: boolean, symmetric: boolean): Typed {
  const given = expr(env, body.lexpr);
  const bounds = list(bodyIf(body.rexpr, 'List')?.items);
  if (bounds.length !== 2) throw refuse(env.state, 'BETWEEN', body.location);
  for (const node of bounds) guardBetween(env, body, given, node);
  // Timestamp operands compare as instants where a DST wall clock would be ambiguous.
  const [lhs = given, ...typed] = isIntegral(given.type) ? [given] : comparedInstants(env.state, [given, ...bounds.map((n) => expr(env, n, given.type))], body.location);
  // A decimal bound against an integer value becomes the integer with the same outcome.
  const decimals = bounds.map((n) => (isIntegral(given.type) ? decimalConstant(n) : undefined));
  const plain = bounds.map((n, i) => {
    if (decimals[i] !== undefined) return undefined;
    const converted = typed[i];
    return operand(converted === undefined ? expr(env, n, lhs.type).ex : converted.ex, Prec.additive);
  });
  const bound = (i: number, role: 'low' | 'high'): SqlExpression => {
    const decimal = decimals[i];
    if (decimal === undefined) return plain[i] ?? L.NULL;
    const value = role === 'low' ? lowBound(decimal) : highBound(decimal);
    if (value === undefined) throw refuse(env.state, 'BETWEEN with a decimal bound beyond the bigint range', body.location, 'Compare with < and > instead.');
    return bigint(value);
  };
  const left = operand(lhs.ex, Prec.comparison, true);
  if (!symmetric) {
    const [low, high] = [bound(0, 'low'), bound(1, 'high')];
    return { ex: negated ? left.notBetween(low, high) : left.between(low, high), type: 'BOOLEAN', nullable: true };
  }
  const either = SqlMulti.create('OR', [left.between(bound(0, 'low'), bound(1, 'high')), left.between(bound(1, 'low'), bound(0, 'high'))]).ensureParens();
  return { ex: negated ? new SqlUnary({ op: 'NOT', argument: either }) : either, type: 'BOOLEAN', nullable: true };
}

/** `x = ANY(ARRAY[...])` is `x IN (...)`; other operators and non-literal arrays are refused. */
export function anyArray(env: Env, body: AstBody, op: string): Typed {
  const array = bodyIf(body.rexpr, 'A_ArrayExpr');
  if (op !== '=' || array === undefined) throw refuse(env.state, `${op} ANY (...)`, body.location, 'Write x IN (a, b, ...) instead.');
  const given = expr(env, body.lexpr);
  const elements = list(array.elements);
  if (elements.length === 0) throw refuse(env.state, '= ANY of an empty array', body.location);
  const [lhs = given, values] = isIntegral(given.type) ? [given, listValues(env, given, elements)] as const : instantList(env, body, given, elements);
  const left = operand(lhs.ex, Prec.comparison, true);
  return { ex: values.length === 0 ? never(left) : left.in(values), type: 'BOOLEAN', nullable: true };
}

