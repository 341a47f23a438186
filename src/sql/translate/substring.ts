import { L, SeparatedArray, SqlCase, SqlComparison, SqlFunction, SqlMulti, SqlWhenThenPart, type SqlExpression } from 'druid-query-toolkit';
import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import { bodyIf, num, type AstBody } from '../ast.js';
import { expr, type Env } from './expr.js';
import { refuse } from './state.js';
import { emptyForNonNull, text } from './strings.js';
import { operand, Prec, type Typed } from './typing.js';

/**
 * substring(s, start[, count]) as PostgreSQL's text_substring (varlena.c): the characters at
 * positions start .. start + count - 1 that exist (positions below 1 count, but hold nothing), ''
 * when none do, 22011 for a negative count. Druid's SUBSTRING fails for a start below 1 ("encountered
 * unknown exception") or a length of 0 ("length must be strictly positive") and gives NULL past
 * the end, so the bounds are clipped first: literals here, other starts in the query.
 */
export function substring(env: Env, body: AstBody, args: unknown[]): Typed {
  if (args.length < 2 || args.length > 3) throw refuse(env.state, `substring() with ${args.length} arguments`, body.location);
  const count = args.length === 3 ? integerConstant(args[2]) : undefined;
  if (args.length === 3 && count === undefined) {
    throw refuse(env.state, 'substring() with a length that is not an integer literal', body.location, "Druid cannot raise PostgreSQL's error for a negative length: write the length as a literal.");
  }
  if (count !== undefined && count < 0) throw new PgError(SqlState.SubstringError, 'negative substring length not allowed');
  const value = expr(env, args[0], 'VARCHAR');
  const start = integerConstant(args[1]);
  if (start !== undefined) {
    const first = Math.max(start, 1);
    if (count === undefined) return emptyForNonNull(value, SqlFunction.simple('SUBSTRING', [text(value), L(first)]));
    const length = start + count - first;
    return emptyForNonNull(value, length <= 0 ? L('') : SqlFunction.simple('SUBSTRING', [text(value), L(first), L(length)]));
  }
  return computedStart(value, expr(env, args[1], 'BIGINT'), count);
}

/** A start computed in the query: GREATEST(start, 1), and the length left once clipped. */
function computedStart(value: Typed, start: Typed, count: number | undefined): Typed {
  const first = SqlFunction.simple('GREATEST', [start.ex, L(1)]);
  let cut: SqlExpression = SqlFunction.simple('SUBSTRING', [text(value), first]);
  if (count !== undefined) {
    const length = SqlMulti.create('-', [SqlMulti.create('+', [operand(start.ex, Prec.additive), L(count)]), first]);
    // GREATEST(.., 1) keeps Druid from failing on a length the CASE does not use.
    const sliced = SqlFunction.simple('SUBSTRING', [text(value), first, SqlFunction.simple('GREATEST', [length, L(1)])]);
    cut = caseOf(SqlComparison.lessThanOrEqual(length, L(0)), L(''), sliced);
  }
  const clipped = emptyForNonNull(value, cut);
  if (!start.nullable) return clipped;
  // Druid's GREATEST ignores a NULL argument; PostgreSQL's substring is NULL for a NULL start.
  return { ex: caseOf(operand(start.ex, Prec.comparison, true).isNull(), L.NULL, clipped.ex), type: 'VARCHAR', nullable: true };
}

function caseOf(condition: SqlExpression, then: SqlExpression, otherwise: SqlExpression): SqlExpression {
  return new SqlCase({ whenThenParts: SeparatedArray.fromArray([SqlWhenThenPart.create(condition, then)]), elseExpression: otherwise });
}

/** An integer literal (`3`, `-1`), else undefined. */
function integerConstant(node: unknown): number | undefined {
  const constant = bodyIf(node, 'A_Const');
  if (constant?.ival === undefined) return undefined;
  return num((constant.ival as AstBody).ival) ?? 0;
}
