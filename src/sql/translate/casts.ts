import { SqlFunction, SqlLiteral } from 'druid-query-toolkit';
import { bodyIf, list, names, num, str, type AstBody } from '../ast.js';
import { booleanCast } from './boolean-cast.js';
import { expr, type Env } from './expr.js';
import { dateLiteral, intervalLiteral, stringAs, timestampLiteral } from './literals.js';
import { numericScale, numericTypmod, VARCHAR } from './result-types.js';
import { refuse } from './state.js';
import { roundHalfEven } from './math.js';
import { textOf } from './timestamp-text.js';
import { boundedTerm } from './wide-sum.js';
import { isIntegral, type DruidType, type Typed } from './typing.js';

/** PostgreSQL type names (after the parser's normalisation to pg_catalog names) -> Druid CAST target. */
const CAST_TARGETS: Readonly<Record<string, DruidType>> = {
  text: 'VARCHAR',
  varchar: 'VARCHAR',
  bpchar: 'VARCHAR',
  name: 'VARCHAR',
  int2: 'INTEGER',
  int4: 'INTEGER',
  int8: 'BIGINT',
  float4: 'FLOAT',
  float8: 'DOUBLE',
  numeric: 'DOUBLE',
  bool: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  timestamptz: 'TIMESTAMP',
};

/** `x::type` and CAST(x AS type), including typed literals such as timestamp '...'. */
export function typeCast(env: Env, body: AstBody): Typed {
  const typeName = (body.typeName ?? {}) as AstBody;
  const typeParts = names(typeName.names);
  const pgType = typeParts.at(-1) ?? '';
  const schema = typeParts.length > 1 ? typeParts[0] : 'pg_catalog';
  if (typeName.arrayBounds !== undefined) throw refuse(env.state, `cast to ${pgType}[]`, typeName.location);
  const literal = bodyIf(body.arg, 'A_Const');
  const literalText = literal?.sval === undefined ? undefined : str((literal.sval as AstBody).sval);
  if (pgType === 'interval' && literalText !== undefined) {
    return { ex: intervalLiteral(env.state, literalText, literal?.location), type: 'OTHER', nullable: false };
  }
  const target = schema === 'pg_catalog' ? CAST_TARGETS[pgType] : undefined;
  if (target === undefined) throw refuse(env.state, `type ${pgType}`, typeName.location);
  if (literalText !== undefined) return castLiteral(env, literalText, pgType, target, literal?.location);
  const arg = expr(env, body.arg, target);
  if (arg.type === 'BOOLEAN' && target !== 'BOOLEAN') return booleanCast(env.state, arg, pgType, body.location);
  if (pgType === 'numeric') return numericCast(env, arg, typeName);
  const varchar = pgType === 'varchar' ? { result: VARCHAR } : {};
  if (arg.type === target && list(typeName.typmods).length === 0) return pgType === 'timestamp' ? { ...arg, naive: true } : { ex: arg.ex, type: arg.type, nullable: arg.nullable, ...varchar };
  if (target === 'VARCHAR' && arg.type === 'TIMESTAMP') return { ex: textOf(arg), type: 'VARCHAR', nullable: arg.nullable, ...varchar };
  // PostgreSQL rounds a fractional value cast to an integer type (numeric half away from zero,
  // float half to even); Druid's CAST truncates.
  const floating = arg.type === 'DOUBLE' || arg.type === 'FLOAT';
  const source = isIntegral(target) && (floating || arg.type === 'DECIMAL')
    ? floating ? roundHalfEven(arg.ex) : SqlFunction.simple('ROUND', [arg.ex])
    : arg.ex;
  return { ex: SqlFunction.cast(source, target), type: target, nullable: arg.nullable, ...varchar };
}

function castLiteral(env: Env, text: string, pgType: string, target: DruidType, location: unknown): Typed {
  switch (pgType) {
    case 'timestamptz':
      return { ex: timestampLiteral(env.state, text, true, location), type: 'TIMESTAMP', nullable: false };
    case 'timestamp':
      return { ex: timestampLiteral(env.state, text, false, location), type: 'TIMESTAMP', nullable: false, naive: true };
    case 'date':
      return { ex: dateLiteral(env.state, text, location), type: 'DATE', nullable: false };
    default: {
      const value = stringAs(env.state, text, target, location);
      return { ex: value.ex, type: target, nullable: false };
    }
  }
}

/** numeric(p, s) rounds to s decimal places; Druid has no exact decimal, so DOUBLE. */
/** Integer digits a double holds exactly (2^53 > 10^15); numeric(p, s) with p - s up to this fits. */
const DOUBLE_DIGITS = 15;

function numericCast(env: Env, arg: Typed, typeName: AstBody): Typed {
  const typmods = list(typeName.typmods);
  const scaleNode = bodyIf(typmods[1], 'A_Const');
  const scale = scaleNode === undefined ? (typmods.length === 1 ? 0 : undefined) : (num((scaleNode.ival as AstBody | undefined)?.ival) ?? 0);
  const precision = num((bodyIf(typmods[0], 'A_Const')?.ival as AstBody | undefined)?.ival);
  const asDouble = arg.type === 'DOUBLE' ? arg.ex : SqlFunction.cast(arg.ex, 'DOUBLE');
  // A bigint's double loses digits past 2^53 where PostgreSQL's numeric keeps them (a count or a
  // literal stays below).
  const fitsDouble = precision !== undefined && precision - (scale ?? 0) <= DOUBLE_DIGITS;
  if (arg.type === 'BIGINT' && !boundedTerm(arg.ex) && !fitsDouble) {
    throw refuse(env.state, 'a bigint value cast to numeric', typeName.location, 'Druid holds numeric values as double precision, which loses digits of bigint values past 2^53; use the bigint value itself (it is exact), or cast to double precision for an approximate value.');
  }
  if (scale === undefined) return { ex: asDouble, type: 'DECIMAL', nullable: arg.nullable };
  const result = precision === undefined ? numericScale(scale) : numericTypmod(precision, scale);
  return { ex: SqlFunction.simple('ROUND', [asDouble, SqlLiteral.create(scale)]), type: 'DECIMAL', nullable: arg.nullable, result };
}
