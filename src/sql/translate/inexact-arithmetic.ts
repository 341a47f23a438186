import { SqlLiteral } from 'druid-query-toolkit';
import type { Env } from './expr.js';
import { refuse } from './state.js';
import type { Typed } from './typing.js';
import { boundedTerm } from './wide-sum.js';

/**
 * Numeric `+ - *` that Druid computes in double precision where PostgreSQL's numeric is exact
 * (docs/sql-compatibility.md "Result types"). The gateway prints the double at PostgreSQL's scale,
 * which is PostgreSQL's value only while the double holds it: a bigint past 2^53 times or plus a
 * decimal constant (`session_key * 1.1` printed 10279057540583024.0 for 10279057540583022.4), or a
 * double cast to numeric in arithmetic (`latency_ms::numeric * 3` printed 6.309000000000001 for
 * 6.309), is not. Integers that cannot pass 2^53 (counts, literals, int4) and exact numerics the
 * gateway carries as text (averages, quotients, split sums) are decided elsewhere.
 */

/** True when one operand of numeric arithmetic makes Druid's double differ from PostgreSQL's numeric. */
export function inexactOperand(lhs: Typed, rhs: Typed): boolean {
  return [lhs, rhs].some((t) => wideInteger(t) || castDouble(t)) && (lhs.decimal !== undefined || rhs.decimal !== undefined || castDouble(lhs) || castDouble(rhs));
}

/** A bigint that could pass 2^53 (not a count or literal). */
function wideInteger(t: Typed): boolean {
  return t.type === 'BIGINT' && !boundedTerm(t.ex) && t.whole !== true;
}

/** A numeric whose Druid value is a double that is not an integer, nor an exact text the gateway divides. */
function castDouble(t: Typed): boolean {
  return t.type === 'DECIMAL' && t.whole !== true && t.quotient === undefined && t.dividend === undefined && t.decimal === undefined && !(t.ex instanceof SqlLiteral);
}

export function refuseInexactArithmetic(env: Env, location: unknown): Error {
  return refuse(
    env.state,
    'numeric arithmetic on a bigint or a numeric cast of a double',
    location,
    'Druid computes this in double precision, which loses digits PostgreSQL keeps in numeric; cast to double precision for the approximate value, or keep the bigint arithmetic in integers.',
  );
}
