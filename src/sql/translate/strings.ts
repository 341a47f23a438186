import { L, SeparatedArray, SqlCase, SqlComparison, SqlFunction, SqlMulti, SqlWhenThenPart, type SqlExpression } from 'druid-query-toolkit';
import { bodyIf, num, type AstBody } from '../ast.js';
import { expr, exprs, type Env } from './expr.js';
import { pgLower } from './case-fold.js';
import { literalString } from './functions.js';
import { refuse } from './state.js';
import { substring } from './substring.js';
import { textOf } from './timestamp-text.js';
import type { Typed } from './typing.js';

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;
/** Room for split_part's field: Druid's STRING_TO_ARRAY splits on a regular expression. */
const SPACE = ' ';
/** The named group regexp_replace's first-match form matches before the match (regexpReplace). */
const FIRST_MATCH_PREFIX = 'polarisprefix';
/** Groups the first-match form puts before the pattern's own: the prefix and the whole match. */
const FIRST_MATCH_GROUPS = 2;

export function text(t: Typed): SqlExpression {
  return textOf(t);
}

/** String functions whose Druid form differs from a same-named call (functions-string.html). */
export function stringFunction(env: Env, body: AstBody, name: string, args: unknown[]): Typed | undefined {
  switch (name) {
    case 'lpad':
    case 'rpad': {
      const [value, length, fill] = [expr(env, args[0], 'VARCHAR'), expr(env, args[1], 'BIGINT'), args[2] === undefined ? undefined : expr(env, args[2], 'VARCHAR')];
      if (args.length > 3) throw refuse(env.state, `${name}() with ${args.length} arguments`, body.location);
      const ex = SqlFunction.simple(name.toUpperCase(), [text(value), length.ex, fill?.ex ?? L(SPACE)]);
      return { ex, type: 'VARCHAR', nullable: value.nullable || length.nullable || (fill?.nullable ?? false) };
    }
    case 'lower': {
      if (args.length !== 1) throw refuse(env.state, `lower() with ${args.length} arguments`, body.location);
      const value = expr(env, args[0], 'VARCHAR');
      return { ex: pgLower(text(value)), type: 'VARCHAR', nullable: value.nullable };
    }
    case 'concat_ws':
      return concatWs(env, body, args);
    case 'split_part':
      return splitPart(env, body, args);
    case 'starts_with': {
      const [value, prefix] = exprs(env, args, 'VARCHAR');
      if (value === undefined || prefix === undefined) return undefined;
      const head = SqlFunction.simple('LEFT', [value.ex, SqlFunction.simple('CHAR_LENGTH', [prefix.ex])]);
      return { ex: SqlComparison.equal(head, prefix.ex), type: 'BOOLEAN', nullable: value.nullable || prefix.nullable };
    }
    case 'regexp_replace':
      return regexpReplace(env, body, args);
    case 'substring':
    case 'substr':
      if (name === 'substring' && args.length === 2 && literalString(args[1]) !== undefined) return regexSubstring(env, args);
      return substring(env, body, args);
    case 'left':
    case 'right':
      return negativeCount(args[1]) === undefined ? undefined : leftRightNegative(env, name, args);
    case 'md5':
    case 'initcap':
      throw refuse(env.state, `function ${name}()`, body.location, 'Druid has no equivalent function.');
    default:
      return undefined;
  }
}

/** COALESCE(ex, '') unless `value` is NULL (then NULL, as PostgreSQL's strict functions). */
export function emptyForNonNull(value: Typed, ex: SqlExpression): Typed {
  const picked = SqlFunction.simple('COALESCE', [ex, L('')]);
  if (!value.nullable) return { ex: picked, type: 'VARCHAR', nullable: false };
  const guarded = new SqlCase({
    whenThenParts: SeparatedArray.fromArray([SqlWhenThenPart.create(value.ex.isNull(), L.NULL)]),
    elseExpression: picked,
  });
  return { ex: guarded, type: 'VARCHAR', nullable: true };
}

/** A negative integer literal's magnitude (left/right with n < 0 drop |n| characters). */
function negativeCount(node: unknown): number | undefined {
  const constant = bodyIf(node, 'A_Const');
  const value = num((constant?.ival as AstBody | undefined)?.ival);
  return value !== undefined && value < 0 ? -value : undefined;
}

/** left(s, -n): all but the last n characters; right(s, -n): all but the first n. */
function leftRightNegative(env: Env, name: string, args: unknown[]): Typed {
  const drop = negativeCount(args[1]) ?? 0;
  const value = expr(env, args[0], 'VARCHAR');
  const length = SqlFunction.simple('CHAR_LENGTH', [text(value)]);
  const keep = SqlFunction.simple('GREATEST', [SqlMulti.create('-', [length, L(drop)]), L(0)]);
  const ex = name === 'left' ? SqlFunction.simple('LEFT', [text(value), keep]) : SqlFunction.simple('RIGHT', [text(value), keep]);
  return emptyForNonNull(value, ex);
}

/** concat_ws(sep, ...) skips NULL values; a literal separator is required. */
function concatWs(env: Env, body: AstBody, args: unknown[]): Typed {
  const separator = literalString(args[0]);
  if (separator === undefined || args.length < 2) throw refuse(env.state, 'concat_ws() with a non-literal separator', body.location);
  // Each value contributes sep || value (empty when NULL); the leading separator is cut off.
  const parts = exprs(env, args.slice(1), 'VARCHAR').map((v) => {
    const piece = SqlFunction.simple('CONCAT', [L(separator), text(v)]);
    return v.nullable ? SqlFunction.simple('COALESCE', [piece, L('')]) : piece;
  });
  const joined = SqlFunction.simple('CONCAT', parts);
  return { ex: SqlFunction.simple('SUBSTRING', [joined, L(separator.length + 1)]), type: 'VARCHAR', nullable: false };
}

/** split_part(s, literal delimiter, literal n > 0): field n, or '' when there are fewer fields. */
function splitPart(env: Env, body: AstBody, args: unknown[]): Typed {
  const delimiter = literalString(args[1]);
  const field = num((bodyIf(args[2], 'A_Const')?.ival as AstBody | undefined)?.ival);
  if (delimiter === undefined || delimiter === '' || field === undefined || field < 1) {
    throw refuse(env.state, 'split_part() with a non-literal delimiter or field number', body.location, 'Use a literal delimiter and a positive literal field number.');
  }
  const value = expr(env, args[0], 'VARCHAR');
  const pieces = SqlFunction.simple('STRING_TO_ARRAY', [text(value), L(delimiter.replace(REGEX_SPECIAL, '\\$&'))]);
  return emptyForNonNull(value, SqlFunction.simple('ARRAY_OFFSET', [pieces, L(field - 1)]));
}

/**
 * regexp_replace with the 'g' flag replaces every match, as Druid's REGEXP_REPLACE does. Without
 * flags PostgreSQL replaces the first match only: Druid matches `^(?<prefix>[\s\S]*?)(pattern)`
 * instead (the shortest prefix before a match finds the leftmost match) and writes the prefix
 * back before the replacement; the pattern's own groups are then numbered from 3. A pattern with a
 * back-reference of its own is refused (its numbers would shift).
 */
function regexpReplace(env: Env, body: AstBody, args: unknown[]): Typed {
  const pattern = literalString(args[1]);
  const replacement = literalString(args[2]);
  const flags = args.length === 4 ? literalString(args[3]) : '';
  const first = flags === '' && pattern !== undefined && !/\\\d/.test(pattern);
  if (pattern === undefined || replacement === undefined || (flags !== 'g' && !first)) {
    throw refuse(env.state, 'regexp_replace() with flags other than g, a back-reference in the pattern or non-literal arguments', body.location, "Druid replaces with literal patterns and Java's regular expressions: write regexp_replace(s, 'pattern', 'replacement'[, 'g']).");
  }
  const value = expr(env, args[0], 'VARCHAR');
  const shift = first ? FIRST_MATCH_GROUPS : 0;
  // PostgreSQL writes back-references \1 and \& (the match), Java $1 and $0; a literal $ must be escaped for Java.
  const java = replacement
    .replace(/\$/g, '\\$')
    .replace(/\\(\d)/g, (_, n: string) => `$${Number(n) + shift}`)
    .replace(/\\&/g, first ? '$2' : '$0');
  const args2 = first ? [L(`^(?<${FIRST_MATCH_PREFIX}>[\\s\\S]*?)(${pattern})`), L(`\${${FIRST_MATCH_PREFIX}}${java}`)] : [L(pattern), L(java)];
  return { ex: SqlFunction.simple('REGEXP_REPLACE', [text(value), ...args2]), type: 'VARCHAR', nullable: value.nullable };
}

/** substring(s from 'regex'): the first parenthesised group when the pattern has one, else the match. */
function regexSubstring(env: Env, args: unknown[]): Typed {
  const pattern = literalString(args[1]) ?? '';
  const value = expr(env, args[0], 'VARCHAR');
  const group = /(^|[^\\])\((?!\?)/.test(pattern) ? 1 : 0;
  return { ex: SqlFunction.simple('REGEXP_EXTRACT', [text(value), L(pattern), L(group)]), type: 'VARCHAR', nullable: true };
}
