import { bodyIf, list, names, nodeBody, nodeType, str, visit, type AstBody } from '../ast.js';
import type { RangeEntry } from './names.js';
import { refuse, type State } from './state.js';

/**
 * 0A000 for a WHERE or HAVING over a LEFT JOIN (or over a subquery or CTE holding one) that tests
 * the NULL-extended side with anything but plain positive conjuncts. Druid 33 answers some such
 * filters wrongly (docs/sql-compatibility.md, "Druid bugs guarded"): an OR across both sides whose
 * right disjunct applies a function to a right-side column loses that disjunct
 * (`o.order_id = 833 OR lower(c.name) LIKE 'c%'`: 1 row instead of 101), and NOT IN, NOT BETWEEN
 * or several `<>` on the right join key keep the NULL-extended rows. Which shapes Druid gets right
 * is not documented, so everything but a plain positive test of the right side is refused. HAVING
 * and filters over a subquery count too: Druid pushes them down into the join.
 */

/** Comparison operators (A_Expr AEXPR_OP, LIKE, ILIKE) that hold for no NULL operand. */
const POSITIVE_OPERATORS: ReadonlySet<string> = new Set(['=', '<', '>', '<=', '>=', '~~', '~~*']);
const POSITIVE_KINDS: ReadonlySet<string> = new Set(['AEXPR_OP', 'AEXPR_LIKE', 'AEXPR_ILIKE', 'AEXPR_BETWEEN']);
/** Operators that negate a test (`<>`, NOT LIKE, NOT ILIKE, regex non-matches). */
const NEGATING_OPERATORS: ReadonlySet<string> = new Set(['<>', '!=', '!~~', '!~~*', '!~', '!~*']);

/** True when the tree holds a LEFT (or RIGHT) JOIN: a subquery or CTE over one has NULL-extended columns. */
export function hasLeftJoin(tree: unknown): boolean {
  let found = false;
  visit({ root: tree }, (key, value) => {
    if (key === 'JoinExpr' && (str(value.jointype) === 'JOIN_LEFT' || str(value.jointype) === 'JOIN_RIGHT')) found = true;
  });
  return found;
}

/** True when a WITH query of the statement named `name` holds a LEFT JOIN. */
export function cteHasLeftJoin(state: State, name: string): boolean {
  let found = false;
  visit(state.stmt.ast, (key, value) => {
    if (key === 'CommonTableExpr' && str(value.ctename) === name && hasLeftJoin(value.ctequery)) found = true;
  });
  return found;
}

/** Refuses WHERE or HAVING terms over `nullableSides` that are not plain positive tests. */
export function guardOuterFilter(state: State, clause: string, condition: unknown, nullableSides: readonly RangeEntry[]): void {
  if (nullableSides.length === 0) return;
  for (const conjunct of conjuncts(condition)) {
    if (!referencesAny(conjunct, nullableSides) || plainConjunct(conjunct)) continue;
    throw refuse(
      state,
      `this ${clause} condition on the right side of a LEFT JOIN`,
      nodeBody(conjunct).location,
      'Druid answers OR, NOT, NOT IN and <> over the NULL-extended side of a LEFT JOIN wrongly; use INNER JOIN where unmatched rows are not wanted, or keep to plain tests (=, <, LIKE, IN, IS NULL) of the right side.',
    );
  }
}

function conjuncts(node: unknown): unknown[] {
  const body = nodeBody(node);
  if (nodeType(node) === 'BoolExpr' && str(body.boolop) === 'AND_EXPR') return list(body.args).flatMap(conjuncts);
  return [node];
}

/** True when a column reference in the tree can name a column of one of the entries. */
function referencesAny(node: unknown, entries: readonly RangeEntry[]): boolean {
  let found = false;
  visit({ root: node }, (key, value) => {
    if (key !== 'ColumnRef') return;
    const fields = names(value.fields);
    found ||= entries.some((entry) =>
      fields.length === 1 ? entry.columns.some((c) => c.name === fields[0]) : fields[0] === entry.refName,
    );
  });
  return found;
}

/** A single positive comparison, IN list of constants, BETWEEN or IS [NOT] NULL, with no logic inside. */
function plainConjunct(node: unknown): boolean {
  const body = nodeBody(node);
  switch (nodeType(node)) {
    case 'NullTest':
      return !hasLogic(body.arg);
    case 'A_Expr':
      return positiveExpr(body) && !hasLogic(body.lexpr) && !hasLogic(body.rexpr);
    default:
      return false;
  }
}

function positiveExpr(body: AstBody): boolean {
  const kind = str(body.kind) ?? '';
  const operator = names(body.name).at(-1) ?? '';
  if (kind === 'AEXPR_IN') {
    const items = list(bodyIf(body.rexpr, 'List')?.items);
    return operator === '=' && items.length > 0 && items.every((item) => nodeType(item) === 'A_Const');
  }
  return POSITIVE_KINDS.has(kind) && (kind === 'AEXPR_BETWEEN' || POSITIVE_OPERATORS.has(operator));
}

/** NOT IN, NOT BETWEEN, IS [NOT] DISTINCT FROM, NULLIF, `<>`, NOT LIKE and other non-positive tests. */
function negating(body: AstBody): boolean {
  const kind = str(body.kind) ?? '';
  const operator = names(body.name).at(-1) ?? '';
  if (kind === 'AEXPR_IN') return operator !== '=';
  return !POSITIVE_KINDS.has(kind) || NEGATING_OPERATORS.has(operator);
}

/** True when the tree holds a boolean connective, a negation or a nested test or subquery. */
function hasLogic(tree: unknown): boolean {
  let found = false;
  visit({ root: tree }, (key, value) => {
    if (key === 'BoolExpr' || key === 'NullTest' || key === 'BooleanTest' || key === 'SubLink') found = true;
    if (key === 'A_Expr' && negating(value)) found = true;
  });
  return found;
}
