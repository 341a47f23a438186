import { L, SqlComparison, SqlExpression, SqlLiteral, SqlMulti, SqlUnary } from 'druid-query-toolkit';
import { bodyIf, list, names, str, type AstBody } from '../ast.js';
import { decimalFloor, integerLiteralValue } from './numeric-text.js';
import { always, bigint, decimalConstant, exactBetween, highBound, listValues, lowBound, never } from './decimal-compare.js';
import { expr, type Env } from './expr.js';
import { comparedInstants } from './instants.js';
import { refuse } from './state.js';
import { isIntegral, operand, Prec, type Typed } from './typing.js';

/** IN lists, BETWEEN and `= ANY(ARRAY[..])`: integers compare exactly with decimal constants, timestamps as instants. */

export function inList(env: Env, body: AstBody, negated: boolean): Typed {
  const items = list(bodyIf(body.rexpr, 'List')?.items);
  if (items.length === 0) throw refuse(env.state, 'IN with a subquery', body.location, 'Join the subquery in FROM instead.');
  const given = widenedInteger(env, body, items) ?? expr(env, body.lexpr);
  // Integers compare exactly with decimal constants; timestamps as instants where a DST wall clock is ambiguous.
  const [lhs = given, values] = isIntegral(given.type) ? [given, listValues(env, given, items)] as const : instantList(env, body, given, items);
  const left = operand(lhs.ex, Prec.comparison, true);
  if (values.length === 0) return { ex: negated ? always(left) : never(left), type: 'BOOLEAN', nullable: true };
  return { ex: membership(env, left, values, negated), type: 'BOOLEAN', nullable: true };
}

/**
 * `x IN (..)` or `x NOT IN (..)`. Under a window function Druid 33 fails on an IN list inside an
 * aggregate (`LAG(MAX(CASE WHEN region IN ('x', 'y') THEN 1 ELSE 0 END)) OVER (..)`: XX000 "while
 * converting CASE ..." or a NullPointerException; docs/sql-compatibility.md, "Druid bugs guarded"),
 * so there it is written as equalities joined by OR (NOT IN: inequalities joined by AND), which
 * PostgreSQL defines IN to be, NULLs included. So is a list with other values than literals: Druid
 * fails the same way on `CASE WHEN __time IN (TIMESTAMP '2025-10-26 02:30:00',
 * MILLIS_TO_TIMESTAMP(1761442200000)) THEN ..` (an instant in a repeated DST hour is written in
 * milliseconds, instants.ts).
 */
function membership(env: Env, left: SqlExpression, values: SqlExpression[], negated: boolean): SqlExpression {
  if (env.inWindow !== true && values.every((v) => v instanceof SqlLiteral)) return negated ? left.notIn(values) : left.in(values);
  const tests = values.map((v) => (negated ? SqlComparison.unequal(left, v) : SqlComparison.equal(left, v)));
  return tests.length === 1 ? (tests[0] as SqlExpression) : SqlMulti.create(negated ? 'AND' : 'OR', tests).ensureParens();
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
  const exact = exactBetween(env, given, bounds);
  if (exact !== undefined) {
    const either = symmetric ? SqlMulti.create('OR', [exact, exactBetween(env, given, [...bounds].reverse()) ?? exact]).ensureParens() : exact;
    return { ex: negated ? new SqlUnary({ op: 'NOT', argument: either }) : either, type: 'BOOLEAN', nullable: true };
  }
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
  const elements = list(array.elements);
  if (elements.length === 0) throw refuse(env.state, '= ANY of an empty array', body.location);
  const given = widenedInteger(env, body, elements) ?? expr(env, body.lexpr);
  const [lhs = given, values] = isIntegral(given.type) ? [given, listValues(env, given, elements)] as const : instantList(env, body, given, elements);
  const left = operand(lhs.ex, Prec.comparison, true);
  return { ex: values.length === 0 ? never(left) : membership(env, left, values, false), type: 'BOOLEAN', nullable: true };
}


/**
 * The integer i of `CAST(i AS double precision | numeric) IN (numeric constants)`. Druid 33 turns
 * that IN list into a filter on i's LONG column with the constants truncated (`CAST(customer_id AS
 * DOUBLE) IN (100.25, 206)` matches customer 100; docs/sql-compatibility.md, "Druid bugs
 * guarded"), so the list is compared with i as integers: a constant with a fraction never equals
 * one. A double equals a double-cast integer exactly when the integer does, for constants within
 * 2^53; constants beyond that are refused.
 */
function widenedInteger(env: Env, body: AstBody, items: unknown[]): Typed | undefined {
  const cast = bodyIf(body.lexpr, 'TypeCast');
  const typeName = (cast?.typeName ?? {}) as AstBody;
  const target = names(typeName.names).at(-1);
  if (cast === undefined || (target !== 'float8' && target !== 'numeric') || typeName.typmods !== undefined) return undefined;
  const constants = items.map(numericConstant);
  if (constants.some((c) => c === undefined)) return undefined;
  const inner = expr(env, cast.arg);
  if (!isIntegral(inner.type)) return undefined;
  if (target === 'float8' && constants.some((c) => c !== undefined && (c.floor >= DOUBLE_EXACT || c.floor < -DOUBLE_EXACT))) {
    throw refuse(env.state, 'IN of a double-cast integer and a constant beyond 2^53', body.location, 'Compare the integer itself with integer constants.');
  }
  return inner;
}

/** Integers beyond 2^53 are not all exact in double precision. */
const DOUBLE_EXACT = 2n ** 53n;

/** The integer part of a numeric constant (an integer or a decimal), else undefined. */
function numericConstant(node: unknown): { floor: bigint } | undefined {
  const constant = bodyIf(node, 'A_Const');
  const ival = constant?.ival as AstBody | undefined;
  if (ival !== undefined) return { floor: BigInt(typeof ival.ival === 'number' ? ival.ival : 0) };
  const text = constant?.fval === undefined ? undefined : str((constant.fval as AstBody).fval);
  if (text === undefined) return undefined;
  const integer = integerLiteralValue(text);
  return integer === undefined ? decimalFloor(text) : { floor: integer };
}
