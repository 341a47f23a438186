import { bodyIf, list, names, nodeBody, nodeType, str } from '../ast.js';

/**
 * The output column name PostgreSQL gives an unaliased SELECT item (FigureColname in
 * src/backend/parser/parse_target.c): column and function names, CASE -> "case", casts of
 * unnamed values -> the type name, otherwise "?column?".
 */
export function figureColname(node: unknown): string {
  return figure(node)?.name ?? '?column?';
}

interface Figured {
  name: string;
  /** 2: a real name (column, function); 1: a fallback (type name, keyword). */
  strength: number;
}

const SQL_VALUE_FUNCTION_NAMES: Readonly<Record<string, string>> = {
  SVFOP_CURRENT_DATE: 'current_date',
  SVFOP_CURRENT_TIME: 'current_time',
  SVFOP_CURRENT_TIME_N: 'current_time',
  SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
  SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp',
  SVFOP_LOCALTIME: 'localtime',
  SVFOP_LOCALTIME_N: 'localtime',
  SVFOP_LOCALTIMESTAMP: 'localtimestamp',
  SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
  SVFOP_CURRENT_ROLE: 'current_role',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_USER: 'user',
  SVFOP_SESSION_USER: 'session_user',
  SVFOP_CURRENT_CATALOG: 'current_catalog',
  SVFOP_CURRENT_SCHEMA: 'current_schema',
};

function figure(node: unknown): Figured | undefined {
  const body = nodeBody(node);
  switch (nodeType(node)) {
    case 'ColumnRef': {
      const last = list(body.fields).at(-1);
      const name = bodyIf(last, 'String')?.sval;
      return typeof name === 'string' ? { name, strength: 2 } : undefined;
    }
    case 'FuncCall':
      return { name: names(body.funcname).at(-1) ?? '?column?', strength: 2 };
    case 'TypeCast': {
      const inner = figure(body.arg);
      if (inner !== undefined && inner.strength > 1) return inner;
      const typeName = names((body.typeName as Record<string, unknown> | undefined)?.names).at(-1);
      return typeName === undefined ? inner : { name: typeName, strength: 1 };
    }
    case 'CaseExpr': {
      const inner = figure(body.defresult);
      return inner !== undefined && inner.strength > 1 ? inner : { name: 'case', strength: 1 };
    }
    case 'CoalesceExpr':
      return { name: 'coalesce', strength: 2 };
    case 'MinMaxExpr':
      return { name: str(body.op) === 'IS_GREATEST' ? 'greatest' : 'least', strength: 2 };
    case 'A_Expr':
      return str(body.kind) === 'AEXPR_NULLIF' ? { name: 'nullif', strength: 2 } : undefined;
    case 'SQLValueFunction': {
      const name = SQL_VALUE_FUNCTION_NAMES[str(body.op) ?? ''];
      return name === undefined ? undefined : { name, strength: 2 };
    }
    default:
      return undefined;
  }
}
