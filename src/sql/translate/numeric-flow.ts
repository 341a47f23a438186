import { names, nodeBody, nodeType } from '../ast.js';
import { exactForm } from './exact-ops.js';
import type { OutputItem } from './order.js';
import { refuse, type State } from './state.js';
import type { Typed } from './typing.js';

/**
 * Type flow of exact numerics Druid holds as doubles (issue 18). PostgreSQL computes an average,
 * variance or standard deviation of integers, and a numeric quotient (`sum(x) / n`,
 * `count(*) * 1.0 / n`), exactly as numeric; Druid's value of such an expression is a double. The
 * gateway prints the exact value where the expression is a result column (exact-average.ts):
 * the Typed carries its exact text (`quotient`). Any other expression that takes such a value as
 * an operand and does not carry an exact text itself would compute on the double, so it is
 * refused (docs/sql-compatibility.md "Result types").
 *
 * Each expression translation (expr.ts) opens a frame; a translated operand with an exact text
 * marks the frame of the expression that consumes it. A few consumers have an exact form the
 * gateway finishes (exact-ops.ts).
 */

interface Frame {
  /** The operands that carried an exact text. */
  operands: Typed[];
  /** The operands that are sums of bigint with a split-sum text (wide-sum.ts). */
  sums: Typed[];
}

const frames = new WeakMap<State, Frame[]>();

/** Casts whose result PostgreSQL computes from the numeric the same as Druid from its double. */
const PASSING_CASTS: ReadonlySet<string> = new Set(['DOUBLE', 'FLOAT']);

/** True when `value` is an exact numeric that Druid holds as a double (it carries its exact text). */
export function heldAsDouble(value: Typed): boolean {
  return value.quotient !== undefined;
}

/**
 * Translates `node` with `translate` in its own frame, and refuses it when an operand is an exact
 * numeric held as a double and the result loses the exact form.
 */
export function tracked(state: State, node: unknown, translate: () => Typed): Typed {
  const stack = frames.get(state) ?? [];
  frames.set(state, stack);
  const frame: Frame = { operands: [], sums: [] };
  stack.push(frame);
  let result: Typed;
  try {
    result = translate();
  } finally {
    stack.pop();
  }
  const [operand, ...others] = frame.operands;
  if (operand !== undefined && !heldAsDouble(result) && !passes(node, result)) {
    const exact = others.length === 0 ? exactForm(node, operand) : undefined;
    if (exact !== undefined) return marked(stack, { ...result, quotient: exact });
    throw refuse(
      state,
      'an expression over a numeric average, variance or quotient of integers',
      nodeBody(node).location,
      'PostgreSQL computes this numeric exactly and Druid only as double precision; cast the value to double precision (avg(x)::float8) for the approximate answer, or select it as its own column.',
    );
  }
  // round/trunc of a sum of bigint: Druid's TRUNCATE and ROUND of a LONG past 2^53 compute in double
  // (trunc(sum(session_key), 1) gave 922337203685477632 for 1695098849141798862.0).
  const [sum, ...moreSums] = frame.sums;
  if (operand === undefined && sum?.splitSum !== undefined && moreSums.length === 0 && !heldAsDouble(result) && nodeType(node) === 'FuncCall') {
    const exact = exactForm(node, { ...sum, quotient: sum.splitSum });
    if (exact !== undefined) return marked(stack, { ...result, quotient: exact });
  }
  return marked(stack, result);
}

/** `result`, recorded as an operand of the enclosing expression when it carries an exact text. */
function marked(stack: Frame[], result: Typed): Typed {
  if (heldAsDouble(result)) stack[stack.length - 1]?.operands.push(result);
  else if (result.splitSum !== undefined) stack[stack.length - 1]?.sums.push(result);
  return result;
}

/**
 * Consumers that keep PostgreSQL's answer: a cast to double precision or real (the value Druid
 * already holds), IS [NOT] NULL and count() (they read only whether it is NULL), a comparison
 * decided exactly (exact-compare.ts), a subquery (its own outputs are checked where it is
 * translated).
 */
function passes(node: unknown, result: Typed): boolean {
  const type = nodeType(node);
  if (type === 'SubLink' || type === 'NullTest' || result.exactDecision === true) return true;
  if (type === 'FuncCall') return names(nodeBody(node).funcname).join('.') === 'count';
  return type === 'TypeCast' && result.type !== undefined && PASSING_CASTS.has(result.type);
}

/**
 * `outputs`, refused when one is an exact numeric held as a double that is not printed from its
 * exact text: the output of a subquery, CTE or set operation branch (read by another query as
 * Druid's double), or of an outermost statement Druid must sort or deduplicate by the double.
 */
export function exactOutputs(state: State, outputs: OutputItem[], location: unknown): OutputItem[] {
  const inexact = outputs.find((o) => o.value !== undefined && heldAsDouble(o.value) && !o.columns.every((c) => c.result !== undefined && 'quotient' in c.result));
  if (inexact === undefined) return outputs;
  throw refuse(
    state,
    'a numeric average, variance or quotient of integers read by another query, set operation, DISTINCT or sort',
    location,
    'PostgreSQL computes this numeric exactly and Druid only as double precision; cast it to double precision (avg(x)::float8) for the approximate answer, or compute it in the outermost query.',
  );
}
