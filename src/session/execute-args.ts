import { PgError, unsupported } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { names, nodeBody } from '../sql/ast.js';
import { positionOf } from '../sql/offsets.js';
import type { ParsedStatement } from '../sql/types.js';
import { Oid } from '../types/oids.js';
import { decodeParameter, parameterTypeName } from '../types/params.js';

type Node = Record<string, unknown>;

const INTEGER_TYPES: ReadonlySet<number> = new Set([Oid.int2, Oid.int4, Oid.int8]);
const NUMERIC_TYPES: ReadonlySet<number> = new Set([...INTEGER_TYPES, Oid.float4, Oid.float8, Oid.numeric]);
/** Every type has an assignment cast to these (its text output); 0 is a parameter of no declared type. */
const STRING_TYPES: ReadonlySet<number> = new Set([Oid.text, Oid.varchar, Oid.bpchar, Oid.name, 0]);
/** Scalar type names as the parser spells them (int -> int4, boolean -> bool), by OID. */
const SCALAR_OIDS: ReadonlyMap<string, number> = new Map(Object.entries(Oid).filter(([name]) => !name.endsWith('Array')));

/** The OID of a type named in PREPARE name(types) or in a cast; 0A000 for types the gateway does not know. */
export function typeOid(typeName: unknown, stmt: ParsedStatement): number {
  const wrapped = (typeName as Node | undefined)?.TypeName;
  const body = nodeBody({ TypeName: wrapped ?? typeName });
  const name = names(body.names).at(-1) ?? '';
  const oid = SCALAR_OIDS.get(name);
  if (oid === undefined || body.arrayBounds !== undefined) {
    throw unsupported(`the parameter type ${name}${body.arrayBounds === undefined ? '' : '[]'}`, undefined, positionOf(stmt, Number(body.location)));
  }
  return oid;
}

/** A constant argument: its type (null: an untyped string literal) and text (null: NULL). */
interface Constant {
  oid: number | null;
  text: string | null;
  location: number | undefined;
}

function constant(node: Node, stmt: ParsedStatement): Constant {
  const cast = node.TypeCast as Node | undefined;
  const c = (cast ? (cast.arg as Node | undefined)?.A_Const : node.A_Const) as Node | undefined;
  const location = Number(c?.location ?? cast?.location ?? -1);
  const refuse = (): PgError =>
    unsupported('an EXECUTE argument that is not a constant', "Pass literal values, e.g. EXECUTE name(1, 'text').", positionOf(stmt, location));
  if (c === undefined) throw refuse();
  let found: Constant;
  if (c.isnull === true) found = { oid: null, text: null, location };
  else if (c.ival !== undefined) found = { oid: Oid.int4, text: String((c.ival as Node).ival ?? 0), location };
  else if (c.fval !== undefined) {
    const text = String((c.fval as Node).fval ?? '');
    // Integer literals too large for int4 arrive as fval: PostgreSQL types them bigint.
    if (/[eE]/.test(text)) throw refuse();
    found = { oid: /^-?\d+$/.test(text) ? Oid.int8 : Oid.numeric, text, location };
  } else if (c.sval !== undefined) found = { oid: null, text: String((c.sval as Node).sval ?? ''), location };
  else if (c.boolval !== undefined) found = { oid: Oid.bool, text: (c.boolval as Node).boolval === true ? 'true' : 'false', location };
  else throw refuse();
  return cast ? { ...found, oid: typeOid(cast.typeName, stmt) } : found;
}

/** numeric to integer: PostgreSQL rounds half away from zero. */
function roundHalfAway(text: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) return text;
  let whole = BigInt(m[2] === '' ? '0' : (m[2] ?? '0'));
  if ((m[3] ?? '').charAt(0) >= '5') whole += 1n;
  return `${m[1] === '-' && whole !== 0n ? '-' : ''}${whole}`;
}

/**
 * The text form of EXECUTE's argument `index` (1-based) for a parameter of type `target`, with
 * PostgreSQL's assignment coercion of constants: an untyped literal is read as the target type,
 * numbers convert among numeric types (rounding to integers), anything converts to a string type;
 * other pairs fail with 42804. A cast argument must name the target type.
 * https://www.postgresql.org/docs/current/sql-execute.html
 */
export function argumentText(stmt: ParsedStatement, node: Node, target: number, index: number): string | null {
  const c = constant(node, stmt);
  const position = positionOf(stmt, c.location);
  if (c.text === null) return null;
  let text: string;
  if (c.oid === null || c.oid === target || (STRING_TYPES.has(target) && node.TypeCast === undefined)) text = c.text;
  else if (NUMERIC_TYPES.has(c.oid) && NUMERIC_TYPES.has(target) && node.TypeCast === undefined) {
    text = INTEGER_TYPES.has(target) ? roundHalfAway(c.text) : c.text;
  } else if (node.TypeCast !== undefined) {
    throw unsupported(`a cast to ${parameterTypeName(c.oid)} for a parameter of type ${parameterTypeName(target)}`, 'Cast the argument to the parameter type, or pass it as a literal.', position);
  } else {
    throw new PgError(
      SqlState.DatatypeMismatch,
      `parameter $${index} of type ${parameterTypeName(c.oid)} cannot be coerced to the expected type ${parameterTypeName(target)}`,
      { hint: 'You will need to rewrite or cast the expression.', ...(position === undefined ? {} : { position }) },
    );
  }
  try {
    decodeParameter(target, 0, Buffer.from(text));
  } catch (err) {
    if (err instanceof PgError && err.position === undefined) err.position = position;
    throw err;
  }
  return text;
}
