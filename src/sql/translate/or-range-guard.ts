import { bodyIf, list, names, nodeType, str } from '../ast.js';

/**
 * Druid 33 (its Calcite planner) drops the NULL test of complementary ranges in an OR
 * (docs/sql-compatibility.md "Druid bugs"): over a nullable column, `device = 'x' OR latency_ms
 * <= 2000 OR latency_ms >= 1000` matches the 111 rows whose latency_ms is NULL (10,000 rows where
 * PostgreSQL gives 9,889), in WHERE, FILTER and CASE alike; with only the two ranges it is right.
 * Calcite merges the ranges on one operand into a set covering every value and then reads that set
 * as TRUE. Rewriting the leaves (IS TRUE, CASE, NULLIF, an added IS NOT NULL) is merged the same
 * way, so such an OR is refused. NOT over an AND of the opposite ranges becomes that OR in Calcite.
 */

/** A comparison of some operand with a constant bound from below or above. */
interface Bound {
  key: string;
  side: 'lower' | 'upper';
  value: number | undefined;
  inclusive: boolean;
}

/** Two covering ranges alone are planned right; a third disjunct beside them is not. */
const MIN_DISJUNCTS = 3;

/** The operator with its operands swapped, and the operator of its negation. */
const FLIPPED: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const NEGATED: Readonly<Record<string, string>> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

/** The number of a constant (through casts), undefined for other constants, null for no constant. */
function constant(node: unknown): number | undefined | null {
  const cast = bodyIf(node, 'TypeCast');
  if (cast !== undefined) return constant(cast.arg);
  if (bodyIf(node, 'ParamRef') !== undefined) return undefined;
  const c = bodyIf(node, 'A_Const');
  if (c === undefined) return null;
  // libpg-query leaves out a zero ival: `{ ival: {} }`.
  if (c.ival !== undefined) return (c.ival as { ival?: number }).ival ?? 0;
  const fval = (c.fval as { fval?: string } | undefined)?.fval;
  return fval === undefined ? undefined : Number(fval);
}

/** The operand's identity: its parse tree without source locations. */
function keyOf(node: unknown): string {
  return JSON.stringify(node, (k, v: unknown) => (k === 'location' ? undefined : v));
}

function boundsOf(node: unknown, negated: boolean): Bound[] {
  const e = bodyIf(node, 'A_Expr');
  if (e === undefined) return [];
  const kind = str(e.kind);
  if (kind === 'AEXPR_OP') {
    let op = names(e.name).join('.');
    if (FLIPPED[op] === undefined) return [];
    let subject = e.lexpr;
    let value = constant(e.rexpr);
    if (value === null) {
      value = constant(e.lexpr);
      if (value === null) return [];
      subject = e.rexpr;
      op = FLIPPED[op] ?? op;
    }
    if (negated) op = NEGATED[op] ?? op;
    return [{ key: keyOf(subject), side: op.startsWith('<') ? 'upper' : 'lower', value, inclusive: op.endsWith('=') }];
  }
  if ((kind === 'AEXPR_NOT_BETWEEN' || kind === 'AEXPR_BETWEEN') && (kind === 'AEXPR_NOT_BETWEEN') !== negated) {
    const [low, high] = list(bodyIf(e.rexpr, 'List')?.items ?? e.rexpr);
    const lo = constant(low);
    const hi = constant(high);
    if (lo === null || hi === null) return [];
    const key = keyOf(e.lexpr);
    return [{ key, side: 'upper', value: lo, inclusive: false }, { key, side: 'lower', value: hi, inclusive: false }];
  }
  return [];
}

/** True when an upper and a lower bound on one operand leave no value out. */
function covers(upper: Bound, lower: Bound): boolean {
  if (upper.value === undefined || lower.value === undefined) return true;
  return lower.value < upper.value || (lower.value === upper.value && (lower.inclusive || upper.inclusive));
}

/** The disjuncts of a boolean, nested ORs flattened (and NOT over AND read as OR of negations). */
function disjuncts(node: unknown, negated: boolean): Array<{ node: unknown; negated: boolean }> {
  const b = bodyIf(node, 'BoolExpr');
  const op = str(b?.boolop);
  if (b !== undefined && ((op === 'OR_EXPR' && !negated) || (op === 'AND_EXPR' && negated))) {
    return list(b.args).flatMap((a) => disjuncts(a, negated));
  }
  if (b !== undefined && op === 'NOT_EXPR') return disjuncts(list(b.args)[0], !negated);
  return [{ node, negated }];
}

/**
 * The operand's parse tree (as JSON) when the OR (or NOT of an AND) `node` holds, beside at least
 * one other disjunct, ranges on one operand that together cover every value; undefined otherwise.
 * Such ranges on a column without NULLs are a tautology, so refusing them too costs little.
 */
export function coveringOrRanges(node: unknown): string | undefined {
  if (nodeType(node) !== 'BoolExpr') return undefined;
  const bounds = disjuncts(node, false).map((p) => boundsOf(p.node, p.negated));
  const count = bounds.reduce((n, b) => n + Math.max(1, b.length), 0);
  if (count < MIN_DISJUNCTS) return undefined;
  const all = bounds.flat();
  for (const upper of all.filter((b) => b.side === 'upper')) {
    for (const lower of all.filter((b) => b.side === 'lower' && b.key === upper.key)) {
      if (covers(upper, lower)) return upper.key;
    }
  }
  return undefined;
}
