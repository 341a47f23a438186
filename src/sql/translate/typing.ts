import { SqlComparison, SqlMulti, SqlUnary, type SqlExpression } from 'druid-query-toolkit';
import type { ResultType } from '../types.js';
import type { SumBounds } from './wide-compare.js';

/** Druid SQL types the translator tracks to infer parameter types and pick rewrites. */
export type DruidType =
  | 'BIGINT'
  | 'INTEGER'
  | 'DOUBLE'
  | 'FLOAT'
  | 'DECIMAL'
  | 'VARCHAR'
  | 'TIMESTAMP'
  | 'DATE'
  | 'BOOLEAN'
  | 'OTHER';

/** A translated expression with what is known of its type. */
export interface Typed {
  ex: SqlExpression;
  type: DruidType | undefined;
  /** False only when the value can never be NULL (NOT NULL column, COUNT, non-null literal). */
  nullable: boolean;
  /**
   * A PostgreSQL `timestamp without time zone` (a cast or typed literal): Druid holds the instant,
   * PostgreSQL the session-zone wall clock, which matters for extract(epoch ...).
   */
  naive?: boolean;
  /** PostgreSQL's type of the value where Druid reports another (see resultTypeOf). */
  result?: ResultType;
  /** For avg() of integers: Druid text `sum/count` of the exact sum and count (exact-average.ts). */
  quotient?: SqlExpression;
  /** For avg() of integers: its guarded LONG sum and its count (exact-compare.ts). */
  ratio?: { sum: SqlExpression; count: SqlExpression };
  /** A comparison decided on the exact value of an operand Druid holds as a double (exact-compare.ts). */
  exactDecision?: boolean;
  /** The quotient is a variance's text `kind:n:Σy:Σy²` (exact-statistic.ts): no exact arithmetic on it. */
  statistic?: boolean;
  /** For sum() of bigint: Druid text `h:l:c` of the exact sum (wide-sum.ts splitSum). */
  splitSum?: SqlExpression;
  /** For a guarded sum() of integers: its double sums, to decide comparisons (wide-compare.ts). */
  sumBounds?: SumBounds;
  /**
   * For sum() of integers: Druid text `sum/divisor` of the exact sum and an integer divisor, or
   * `sum*factor/divisor` with a numeric constant's text `factor` (scaled-quotient.ts).
   */
  dividend?: (divisor: SqlExpression, factor?: string) => SqlExpression;
  /** A numeric constant written with a point and no exponent: its text (PostgreSQL's display scale). */
  decimal?: string;
  /** A numeric whose Druid value is an exact integer (a sum of integers; PostgreSQL: scale 0). */
  whole?: boolean;
}

const KNOWN: ReadonlySet<string> = new Set(['BIGINT', 'INTEGER', 'DOUBLE', 'FLOAT', 'DECIMAL', 'VARCHAR', 'TIMESTAMP', 'DATE', 'BOOLEAN']);

/** The tracked type of an INFORMATION_SCHEMA.COLUMNS.DATA_TYPE value. */
export function typeOfSqlType(sqlType: string): DruidType {
  const upper = sqlType.toUpperCase();
  if (KNOWN.has(upper)) return upper as DruidType;
  if (upper === 'SMALLINT' || upper === 'TINYINT') return 'INTEGER';
  if (upper === 'REAL') return 'FLOAT';
  if (upper === 'CHAR') return 'VARCHAR';
  return 'OTHER';
}

export function isIntegral(type: DruidType | undefined): boolean {
  return type === 'BIGINT' || type === 'INTEGER';
}

export function isNumeric(type: DruidType | undefined): boolean {
  return isIntegral(type) || type === 'DOUBLE' || type === 'FLOAT' || type === 'DECIMAL';
}

/** Binding strength of a printed Druid expression; higher binds tighter. */
export const Prec = { or: 1, and: 2, not: 3, comparison: 4, concat: 5, additive: 6, multiplicative: 7, unary: 8, atom: 9 } as const;

export function precedenceOf(ex: SqlExpression): number {
  if (ex.hasParens()) return Prec.atom;
  if (ex instanceof SqlMulti) {
    switch (ex.op) {
      case 'OR':
        return Prec.or;
      case 'AND':
        return Prec.and;
      case '||':
        return Prec.concat;
      case '+':
      case '-':
        return Prec.additive;
      default:
        return Prec.multiplicative;
    }
  }
  if (ex instanceof SqlComparison) return Prec.comparison;
  if (ex instanceof SqlUnary) return ex.op === 'NOT' ? Prec.not : Prec.unary;
  return Prec.atom;
}

/**
 * Parenthesises `ex` when it is an operand of an operator of precedence `parent`. The
 * toolkit prints trees as built, without adding parentheses, so every rule goes through here.
 * `strict` (right operands of - and /, operands of comparisons) also wraps equal precedence.
 */
export function operand(ex: SqlExpression, parent: number, strict = false): SqlExpression {
  const own = precedenceOf(ex);
  // Calcite binds || as tightly as * (PostgreSQL looser than +): wrap any compound operand.
  const sameConcat = ex instanceof SqlMulti && ex.op === '||';
  const concatTrap = parent === Prec.concat && own < Prec.atom && !(sameConcat && !strict);
  return own < parent || (strict && own === parent) || concatTrap ? ex.ensureParens() : ex;
}
