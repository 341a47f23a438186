import { L, SqlComparison, SqlExpression, SqlFunction, SqlLiteral, SqlMulti, SqlUnary, type SqlComparisonOp } from 'druid-query-toolkit';
import { bodyIf, list, names, str, type AstBody } from '../ast.js';
import { pgLower, pgLowerText } from './case-fold.js';
import { comparedConstant, compareWithConstant, MIRRORED } from './decimal-compare.js';
import { expr, requireBoolean, type Env } from './expr.js';
import { calendarShift } from './calendar-shift.js';
import { comparedInstants } from './instants.js';
import { anyArray, between, inList } from './membership.js';
import { refuse } from './state.js';
import { textOf } from './timestamp-text.js';
import { isIntegral, isNumeric, operand, Prec, type DruidType, type Typed } from './typing.js';
import { mathResult, numericArithmetic } from './result-types.js';
import { ratioComparison } from './exact-compare.js';
import { multipliedDividend, scaledDividend } from './scaled-quotient.js';
import { doubleConstant, wideComparison } from './wide-compare.js';
import { coveringOrRanges } from './or-range-guard.js';
import { inexactOperand, refuseInexactArithmetic } from './inexact-arithmetic.js';

const COMPARISONS: Readonly<Record<string, SqlComparisonOp>> = {
  '=': '=',
  '<>': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

const DAY_DIFF = SqlExpression.parse('TIMESTAMPDIFF(DAY, ?, ?)');
const DAY_ADD = SqlExpression.parse('TIMESTAMPADD(DAY, ?, ?)');

/** PostgreSQL's default LIKE escape character (https://www.postgresql.org/docs/current/functions-matching.html). */
const PG_LIKE_ESCAPE = '\\';

export function aExpr(env: Env, body: AstBody): Typed {
  const op = names(body.name).at(-1) ?? '';
  switch (str(body.kind)) {
    case 'AEXPR_OP':
      return operator(env, body, op);
    case 'AEXPR_IN':
      return inList(env, body, op === '<>');
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
      return like(env, body, str(body.kind) === 'AEXPR_ILIKE', op.startsWith('!'));
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN':
      return between(env, body, str(body.kind) === 'AEXPR_NOT_BETWEEN', false);
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM':
      return between(env, body, str(body.kind) === 'AEXPR_NOT_BETWEEN_SYM', true);
    case 'AEXPR_OP_ANY':
      return anyArray(env, body, op);
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT': {
      const [lhs, rhs] = comparedInstants(env.state, pair(env, body), body.location) as [Typed, Typed];
      const ex = str(body.kind) === 'AEXPR_DISTINCT' ? lhs.ex.isDistinctFrom(rhs.ex) : lhs.ex.isNotDistinctFrom(rhs.ex);
      return { ex, type: 'BOOLEAN', nullable: false };
    }
    case 'AEXPR_NULLIF': {
      const [lhs, rhs] = pair(env, body);
      return { ex: SqlFunction.simple('NULLIF', [lhs.ex, rhs.ex]), type: lhs.type, nullable: true };
    }
    default:
      throw refuse(env.state, `operator ${str(body.kind)?.replace('AEXPR_', '') ?? op}`, body.location);
  }
}

/** Translates both operands; a `$n` or 'literal' on one side takes the other side's type. */
function pair(env: Env, body: AstBody, hint?: DruidType): [Typed, Typed] {
  const leftFirst = !isContextTyped(body.lexpr);
  if (leftFirst) {
    const lhs = expr(env, body.lexpr, hint);
    return [lhs, expr(env, body.rexpr, lhs.type ?? hint)];
  }
  const rhs = expr(env, body.rexpr, hint);
  return [expr(env, body.lexpr, rhs.type ?? hint), rhs];
}

/** `$n` and string literals get their type from the other operand, as in PostgreSQL. */
function isContextTyped(node: unknown): boolean {
  if (bodyIf(node, 'ParamRef') !== undefined) return true;
  const constant = bodyIf(node, 'A_Const');
  return constant?.sval !== undefined;
}

function operator(env: Env, body: AstBody, op: string): Typed {
  if (body.lexpr === undefined) {
    const arg = expr(env, body.rexpr);
    if (op === '-') return { ex: new SqlUnary({ op: '-', argument: operand(arg.ex, Prec.unary) }), type: arg.type, nullable: arg.nullable };
    if (op === '+') return arg;
    throw refuse(env.state, `prefix operator ${op}`, body.location);
  }
  const comparison = COMPARISONS[op];
  if (comparison !== undefined) {
    const [lhs, rhs] = comparedInstants(env.state, pair(env, body), body.location) as [Typed, Typed];
    const nullable = lhs.nullable || rhs.nullable;
    const ratio = ratioComparison(lhs, rhs, body.lexpr, body.rexpr, comparison);
    if (ratio !== undefined) return { ex: ratio, type: 'BOOLEAN', nullable, exactDecision: true };
    const wide = wideSumComparison(lhs, rhs, comparison);
    if (wide !== undefined) return { ex: wide, type: 'BOOLEAN', nullable };
    const [rightConstant, leftConstant] = [comparedConstant(body.rexpr), comparedConstant(body.lexpr)];
    if (rightConstant !== undefined && isIntegral(lhs.type)) return { ex: compareWithConstant(lhs.ex, comparison, rightConstant, false), type: 'BOOLEAN', nullable };
    if (leftConstant !== undefined && isIntegral(rhs.type)) return { ex: compareWithConstant(rhs.ex, comparison, leftConstant, true), type: 'BOOLEAN', nullable };
    const ex = new SqlComparison({ op: comparison, lhs: operand(lhs.ex, Prec.comparison, true), rhs: operand(rhs.ex, Prec.comparison, true) });
    return { ex, type: 'BOOLEAN', nullable };
  }
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
      return arithmetic(env, body, op);
    case '^': {
      const [lhs, rhs] = pair(env, body);
      return { ex: SqlFunction.simple('POWER', [lhs.ex, rhs.ex]), type: 'DOUBLE', nullable: lhs.nullable || rhs.nullable };
    }
    case '%': {
      const [lhs, rhs] = pair(env, body);
      const result = mathResult('mod', lhs);
      return { ex: SqlFunction.simple('MOD', [lhs.ex, rhs.ex]), type: lhs.type, nullable: lhs.nullable || rhs.nullable, ...(result === undefined ? {} : { result }) };
    }
    case '||': {
      // Calcite's || takes character operands only; PostgreSQL converts the other one to text.
      const [lhs, rhs] = [expr(env, body.lexpr, 'VARCHAR'), expr(env, body.rexpr, 'VARCHAR')].map((t) =>
        t.type === 'VARCHAR' || t.type === undefined ? t : { ...t, ex: textOf(t) },
      ) as [Typed, Typed];
      const ex = SqlMulti.create('||', [operand(lhs.ex, Prec.concat), operand(rhs.ex, Prec.concat)]);
      return { ex, type: 'VARCHAR', nullable: lhs.nullable || rhs.nullable };
    }
    case '~':
    case '~*':
    case '!~':
    case '!~*':
      return regex(env, body, op);
    default:
      throw refuse(env.state, `operator ${op}`, body.location);
  }
}

/** `sum(x) OP c` or `c OP sum(x)` of a guarded sum, decided by its double sums where they can (wide-compare.ts). */
function wideSumComparison(lhs: Typed, rhs: Typed, op: SqlComparisonOp): SqlExpression | undefined {
  const [sum, constant, effective] = lhs.sumBounds !== undefined ? [lhs.sumBounds, doubleConstant(rhs.ex), op] : [rhs.sumBounds, doubleConstant(lhs.ex), MIRRORED[op] ?? op];
  if (sum === undefined || constant === undefined) return undefined;
  const exact = new SqlComparison({ op, lhs: operand(lhs.ex, Prec.comparison, true), rhs: operand(rhs.ex, Prec.comparison, true) });
  return wideComparison(sum, effective, constant, exact);
}

function arithmetic(env: Env, body: AstBody, op: '+' | '-' | '*' | '/'): Typed {
  const [lhs, rhs] = pair(env, body);
  const temporal = dateArithmetic(env, body, op, lhs, rhs);
  if (temporal !== undefined) return temporal;
  const level = op === '+' || op === '-' ? Prec.additive : Prec.multiplicative;
  // PostgreSQL's numeric (sum/avg of integers, numeric casts) divides exactly; Druid would
  // divide two LONGs as integers, so a numeric operand makes the division DOUBLE.
  const exact = op === '/' && (lhs.type === 'DECIMAL' || rhs.type === 'DECIMAL') && (isIntegral(lhs.type) || isIntegral(rhs.type) || lhs.type === rhs.type);
  const left = exact && lhs.type !== 'DOUBLE' ? SqlFunction.cast(lhs.ex, 'DOUBLE') : lhs.ex;
  // Both PostgreSQL and Druid truncate integer / integer toward zero, so a * (b / c) must keep
  // its parentheses: a right operand of equal precedence is always wrapped.
  const ex = SqlMulti.create(op, [operand(left, level), operand(rhs.ex, level, true)]);
  const result = numericArithmetic(op, lhs, rhs);
  if (op !== '/' && (result !== undefined || lhs.type === 'DECIMAL' || rhs.type === 'DECIMAL') && inexactOperand(lhs, rhs)) throw refuseInexactArithmetic(env, body.location);
  const typed: Typed = { ex, type: resultType(lhs.type, rhs.type), nullable: lhs.nullable || rhs.nullable, ...(result === undefined ? {} : { result }) };
  // sum(integers) / integer is numeric division: exact in the gateway as a result column.
  if (op === '/' && lhs.dividend !== undefined && (isIntegral(rhs.type) || rhs.whole === true)) return { ...typed, quotient: lhs.dividend(rhs.ex) };
  // Other numeric division: PostgreSQL's exact quotient with select_div_scale, Druid's double.
  if (exact) throw refuse(env.state, 'numeric division other than a sum of integers by an integer', body.location, 'PostgreSQL divides numeric values exactly and Druid only in double precision; cast an operand to double precision for the approximate answer.');
  if (op === '/') return typed;
  // integer * 1.0 divided by an integer: the same, scaled (scaled-quotient.ts).
  const dividend = op === '*' ? scaledDividend(lhs, rhs) ?? scaledDividend(rhs, lhs) ?? multipliedDividend(lhs, rhs) ?? multipliedDividend(rhs, lhs) : undefined;
  return dividend === undefined ? typed : { ...typed, dividend };
}

/**
 * date - date is a day count and date +/- integer a date (functions-datetime.html); timestamp -
 * timestamp is an interval, which Druid cannot return.
 */
function dateArithmetic(env: Env, body: AstBody, op: string, lhs: Typed, rhs: Typed): Typed | undefined {
  const shifted = calendarShift(op, lhs, rhs);
  if (shifted !== undefined) return shifted;
  const nullable = lhs.nullable || rhs.nullable;
  if (lhs.type === 'DATE' && rhs.type === 'DATE' && op === '-') {
    return { ex: DAY_DIFF.fillPlaceholders([rhs.ex, lhs.ex]), type: 'INTEGER', nullable };
  }
  if (lhs.type === 'DATE' && isIntegral(rhs.type) && (op === '+' || op === '-')) {
    const days = op === '-' ? new SqlUnary({ op: '-', argument: operand(rhs.ex, Prec.unary) }) : rhs.ex;
    return { ex: SqlFunction.cast(DAY_ADD.fillPlaceholders([days, lhs.ex]), 'DATE'), type: 'DATE', nullable };
  }
  if ((lhs.type === 'TIMESTAMP' || lhs.type === 'DATE') && (rhs.type === 'TIMESTAMP' || rhs.type === 'DATE') && op === '-') {
    throw refuse(env.state, 'timestamp - timestamp (interval results)', body.location, 'Use extract(epoch from a) - extract(epoch from b) for the difference in seconds.');
  }
  return undefined;
}

function resultType(a: DruidType | undefined, b: DruidType | undefined): DruidType | undefined {
  if (a === 'TIMESTAMP' || b === 'TIMESTAMP') return 'TIMESTAMP';
  if (isIntegral(a) && isIntegral(b)) return a === 'BIGINT' || b === 'BIGINT' ? 'BIGINT' : 'INTEGER';
  if (isNumeric(a) && isNumeric(b)) return a === 'DECIMAL' && b !== 'DOUBLE' && b !== 'FLOAT' ? 'DECIMAL' : 'DOUBLE';
  return a ?? b;
}

function regex(env: Env, body: AstBody, op: string): Typed {
  const [lhs, rhs] = pair(env, body, 'VARCHAR');
  let pattern = rhs.ex;
  if (op.endsWith('*')) {
    const text = rhs.ex instanceof SqlLiteral ? rhs.ex.value : undefined;
    if (typeof text !== 'string') throw refuse(env.state, 'case-insensitive regular expression with a non-literal pattern', body.location);
    pattern = L(`(?i)${text}`);
  }
  const match = SqlFunction.simple('REGEXP_LIKE', [lhs.ex, pattern]);
  return { ex: op.startsWith('!') ? match.not() : match, type: 'BOOLEAN', nullable: true };
}

function like(env: Env, body: AstBody, insensitive: boolean, negated: boolean): Typed {
  const lhs = expr(env, body.lexpr, 'VARCHAR');
  const escapeCall = bodyIf(body.rexpr, 'FuncCall');
  const isEscapeCall = escapeCall !== undefined && names(escapeCall.funcname).at(-1) === 'like_escape';
  const patternNode = isEscapeCall ? list(escapeCall.args)[0] : body.rexpr;
  const pattern = expr(env, patternNode, 'VARCHAR');
  let escape: SqlExpression | undefined = L(PG_LIKE_ESCAPE);
  if (isEscapeCall) {
    const given = expr(env, list(escapeCall.args)[1], 'VARCHAR');
    const text = given.ex instanceof SqlLiteral ? given.ex.value : undefined;
    // ESCAPE '' turns escaping off in PostgreSQL; Calcite has no escape by default.
    escape = text === '' ? undefined : given.ex;
  }
  // Druid's LIKE takes a literal pattern only ("pattern argument must be a literal"), also after
  // LOWER() when the whole comparison is constant: a literal pattern is lower-cased here.
  const literal = pattern.ex instanceof SqlLiteral && typeof pattern.ex.value === 'string' ? pattern.ex.value : undefined;
  if (pattern.ex.getColumns().length > 0) {
    throw refuse(env.state, `${insensitive ? 'ILIKE' : 'LIKE'} with a pattern computed from columns`, body.location, 'Druid matches LIKE against constant patterns only; use a literal or a parameter.');
  }
  const left = insensitive ? pgLower(lhs.ex) : operand(lhs.ex, Prec.comparison, true);
  const right = insensitive && literal !== undefined ? L(pgLowerText(literal)) : insensitive ? pgLower(pattern.ex) : operand(pattern.ex, Prec.comparison, true);
  const ex = negated ? SqlComparison.notLike(left, right, escape) : SqlComparison.like(left, right, escape);
  return { ex, type: 'BOOLEAN', nullable: lhs.nullable || pattern.nullable };
}

export function boolExpr(env: Env, body: AstBody): Typed {
  if (coveringOrRanges({ BoolExpr: body }) !== undefined) {
    throw refuse(
      env.state,
      'an OR of ranges on one value that together cover every value, beside another condition',
      body.location,
      'Druid 33 drops the NULL test of such ranges and would also match NULLs; write the ranges as `x IS NOT NULL` or drop the tautology.',
    );
  }
  const args = list(body.args).map((a) => requireBoolean(env, expr(env, a, 'BOOLEAN'), body.location, str(body.boolop)?.replace('_EXPR', '') ?? 'AND'));
  const nullable = args.some((a) => a.nullable);
  switch (str(body.boolop)) {
    case 'AND_EXPR':
      return { ex: SqlMulti.create('AND', args.map((a) => operand(a.ex, Prec.and))), type: 'BOOLEAN', nullable };
    case 'OR_EXPR':
      return { ex: SqlMulti.create('OR', args.map((a) => operand(a.ex, Prec.or))), type: 'BOOLEAN', nullable };
    default: {
      const arg = args[0];
      if (arg === undefined) throw refuse(env.state, 'NOT', body.location);
      return { ex: new SqlUnary({ op: 'NOT', argument: operand(arg.ex, Prec.not + 1) }), type: 'BOOLEAN', nullable };
    }
  }
}

export function nullTest(env: Env, body: AstBody): Typed {
  const arg = expr(env, body.arg);
  const subject = operand(arg.ex, Prec.comparison, true);
  const ex = str(body.nulltesttype) === 'IS_NOT_NULL' ? subject.isNotNull() : subject.isNull();
  return { ex, type: 'BOOLEAN', nullable: false };
}

const BOOLEAN_TESTS: Readonly<Record<string, [SqlComparisonOp, boolean | null]>> = {
  IS_TRUE: ['IS', true],
  IS_NOT_TRUE: ['IS NOT', true],
  IS_FALSE: ['IS', false],
  IS_NOT_FALSE: ['IS NOT', false],
  IS_UNKNOWN: ['IS', null],
  IS_NOT_UNKNOWN: ['IS NOT', null],
};

export function booleanTest(env: Env, body: AstBody): Typed {
  const arg = expr(env, body.arg, 'BOOLEAN');
  const test = BOOLEAN_TESTS[str(body.booltesttype) ?? ''];
  if (test === undefined) throw refuse(env.state, 'boolean test', body.location);
  const [op, value] = test;
  const rhs = value === null ? L.NULL : value ? L.TRUE : L.FALSE;
  return { ex: new SqlComparison({ op, lhs: operand(arg.ex, Prec.comparison, true), rhs }), type: 'BOOLEAN', nullable: false };
}
