import { L, SqlFunction, type SqlExpression } from 'druid-query-toolkit';
import { OP_SEPARATOR } from '../../types/quotient-ops.js';
import { bodyIf, list, names, nodeBody, nodeType, num, str } from '../ast.js';
import type { Typed } from './typing.js';

/**
 * Exact forms of expressions over an average or quotient of integers (numeric-flow.ts) that the
 * gateway finishes on the exact text (src/types/quotient-ops.ts): `q + c`, `q - c`, `c - q`,
 * `q * c`, `c * q` with an integer constant c, round(q[, n]) and trunc(q[, n]) with an integer
 * constant n, and coalesce(q, c). Anything else over such a value is refused.
 */

/** The integer value of an integer constant node (`5`, `-5`), else undefined. */
export function integerConstant(node: unknown): bigint | undefined {
  const constant = bodyIf(node, 'A_Const');
  if (constant === undefined || constant.isnull === true) return undefined;
  const ival = constant.ival as { ival?: unknown } | undefined;
  if (ival === undefined) return undefined;
  return BigInt(num(ival.ival) ?? 0);
}

/** CONCAT(text, ';op'): the op applied by the gateway. */
function withOp(text: SqlExpression, op: string): SqlExpression {
  return SqlFunction.simple('CONCAT', [text, L(`${OP_SEPARATOR}${op}`)]);
}

/** The exact text of `node`, whose operand `value` carries an exact text, else undefined. */
export function exactForm(node: unknown, value: Typed): SqlExpression | undefined {
  const text = value.quotient;
  if (text === undefined || value.statistic === true) return undefined;
  const body = nodeBody(node);
  switch (nodeType(node)) {
    case 'A_Expr':
      return str(body.kind) === 'AEXPR_OP' ? arithmetic(body.lexpr, body.rexpr, names(body.name).join(''), text) : undefined;
    case 'FuncCall':
      return roundOrTrunc(body, text);
    case 'CoalesceExpr': {
      const [, fallback, ...rest] = list(body.args);
      const c = integerConstant(fallback);
      return c === undefined || rest.length > 0 ? undefined : SqlFunction.simple('COALESCE', [text, L(c.toString())]);
    }
    default:
      return undefined;
  }
}

function arithmetic(lexpr: unknown, rexpr: unknown, op: string, text: SqlExpression): SqlExpression | undefined {
  const [right, left] = [integerConstant(rexpr), integerConstant(lexpr)];
  if (lexpr === undefined) return undefined;
  if (right !== undefined && left === undefined) {
    if (op === '+') return withOp(text, `+${right}`);
    if (op === '-') return withOp(text, `+${-right}`);
    return op === '*' ? withOp(text, `*${right}`) : undefined;
  }
  if (left === undefined || right !== undefined) return undefined;
  if (op === '+') return withOp(text, `+${left}`);
  if (op === '-') return withOp(withOp(text, '*-1'), `+${left}`);
  return op === '*' ? withOp(text, `*${left}`) : undefined;
}

const PLACES_OPS: Readonly<Record<string, string>> = { round: 'r', trunc: 't' };

function roundOrTrunc(body: Record<string, unknown>, text: SqlExpression): SqlExpression | undefined {
  const parts = names(body.funcname);
  const kind = PLACES_OPS[parts.at(-1) ?? ''];
  if (kind === undefined || (parts.length > 1 && parts[0] !== 'pg_catalog') || body.over !== undefined) return undefined;
  const [, digits, ...rest] = list(body.args);
  const places = digits === undefined ? 0n : integerConstant(digits);
  return places === undefined || rest.length > 0 ? undefined : withOp(text, `${kind}${places}`);
}
