import { L, SeparatedArray, SqlCase, SqlComparison, SqlFunction, SqlLiteral, SqlMulti, SqlWhenThenPart, type SqlExpression } from 'druid-query-toolkit';
import type { AstBody } from '../ast.js';
import { expr, exprs, type Env } from './expr.js';
import { refuse } from './state.js';
import { mathResult, numericScale } from './result-types.js';
import { isIntegral, operand, Prec, type Typed } from './typing.js';

const HALF = SqlLiteral.double(0.5);

/**
 * Round half to even, as PostgreSQL's round(double precision) and float-to-integer casts do
 * (C rint()); Druid's ROUND rounds halves away from zero, as PostgreSQL's round(numeric).
 */
export function roundHalfEven(x: SqlExpression): SqlExpression {
  const term = operand(x, Prec.additive);
  const fraction = SqlFunction.simple('ABS', [SqlMulti.create('-', [term, SqlFunction.simple('TRUNCATE', [x, L(0)])])]);
  const twiceHalf = SqlMulti.create('*', [L(2), SqlFunction.simple('ROUND', [SqlMulti.create('/', [operand(x, Prec.multiplicative), L(2)])])]);
  return new SqlCase({
    whenThenParts: SeparatedArray.fromArray([SqlWhenThenPart.create(SqlComparison.equal(fraction, HALF), twiceHalf)]),
    elseExpression: SqlFunction.simple('ROUND', [x]),
  });
}

/** Math functions whose Druid form differs from a same-named call (functions-math.html). */
export function mathFunction(env: Env, body: AstBody, name: string, args: unknown[]): Typed | undefined {
  switch (name) {
    case 'round': {
      const [x, digits] = exprs(env, args, 'BIGINT');
      if (x === undefined || args.length > 2) throw refuse(env.state, `round() with ${args.length} arguments`, body.location);
      const floating = x.type === 'DOUBLE' || x.type === 'FLOAT';
      if (digits === undefined) {
        const result = mathResult('round', x);
        return { ex: floating ? roundHalfEven(x.ex) : SqlFunction.simple('ROUND', [x.ex]), type: x.type, nullable: x.nullable, ...(result === undefined ? {} : { result }) };
      }
      // round(numeric, n) has display scale n (PostgreSQL numeric_round); a bigint is read as numeric.
      const places = digits.ex instanceof SqlLiteral && typeof digits.ex.value === 'number' ? digits.ex.value : undefined;
      const exact = x.type === 'DECIMAL' || isIntegral(x.type);
      const typed: Typed = { ex: SqlFunction.simple('ROUND', [x.ex, digits.ex]), type: exact ? 'DECIMAL' : x.type, nullable: x.nullable || digits.nullable };
      return exact && places !== undefined ? { ...typed, result: numericScale(places) } : typed;
    }
    case 'sign': {
      const x = expr(env, args[0]);
      if (args.length !== 1) throw refuse(env.state, 'sign() with several arguments', body.location);
      const subject = operand(x.ex, Prec.comparison, true);
      const parts = [
        SqlWhenThenPart.create(SqlComparison.greaterThan(subject, L(0)), L(1)),
        SqlWhenThenPart.create(SqlComparison.lessThan(subject, L(0)), L(-1)),
        SqlWhenThenPart.create(SqlComparison.equal(subject, L(0)), L(0)),
      ];
      const result = mathResult('sign', x);
      return { ex: new SqlCase({ whenThenParts: SeparatedArray.fromArray(parts) }), type: x.type, nullable: x.nullable, ...(result === undefined ? {} : { result }) };
    }
    case 'pi':
      return args.length === 0 ? { ex: SqlLiteral.double(Math.PI), type: 'DOUBLE', nullable: false } : undefined;
    case 'cbrt': {
      const x = expr(env, args[0], 'DOUBLE');
      // Real cube root: sign(x) * |x|^(1/3).
      const magnitude = SqlFunction.simple('POWER', [SqlFunction.simple('ABS', [x.ex]), SqlMulti.create('/', [SqlLiteral.double(1), L(3)])]);
      const sign = mathFunction(env, body, 'sign', args);
      if (sign === undefined) return undefined;
      return { ex: SqlMulti.create('*', [sign.ex.ensureParens(), magnitude]), type: 'DOUBLE', nullable: x.nullable };
    }
    default:
      return undefined;
  }
}
