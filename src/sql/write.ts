import { PgError, unsupported } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { SchemaSnapshot, TableInfo } from '../schema/snapshot.js';
import type { ParamValue } from '../types/params.js';
import { bodyIf, list, names, nodeBody, nodeType, num, str, type AstBody, type AstNode } from './ast.js';
import { DATA_SCHEMAS } from './catalog-relations.js';
import { positionOf } from './offsets.js';
import type { ParsedStatement } from './types.js';

/**
 * The analysis of a write statement on the parsed tree (docs/writes.md): the target Druid table,
 * the target columns and where the rows come from (VALUES lists or a query).
 */

/** One VALUES item: a constant, or a Bind parameter (0-based). */
export type ValueExpr = { kind: 'const'; value: ParamValue } | { kind: 'param'; index: number };

export type RowSourcePlan = { kind: 'values'; rows: ValueExpr[][] } | { kind: 'select'; query: ParsedStatement };

export interface InsertPlan {
  /** The exact Druid table name. */
  table: string;
  /** The target column of each value, in order. */
  columns: string[];
  source: RowSourcePlan;
}

/** Cast targets whose literal is read as text by the target column's input function. */
const TEXT_CASTS: ReadonlySet<string> = new Set(['text', 'varchar', 'bpchar', 'timestamp', 'timestamptz', 'date']);

function at(stmt: ParsedStatement, location: unknown): { position?: number } {
  const position = positionOf(stmt, num(location));
  return position === undefined ? {} : { position };
}

/** A RangeVar naming a Druid table in the schema (42P01 otherwise); null when `missingOk` and absent. */
export function targetTable(stmt: ParsedStatement, rangeVar: AstBody, schema: SchemaSnapshot, schemaName: string, missingOk = false): TableInfo | null {
  const schemaPart = str(rangeVar.schemaname);
  const name = str(rangeVar.relname) ?? '';
  const dataSchema = schemaPart === undefined || DATA_SCHEMAS.has(schemaPart) || schemaPart === schemaName;
  const table = dataSchema ? schema.tables.get(name) : undefined;
  if (table !== undefined || (missingOk && dataSchema)) return table ?? null;
  const shown = schemaPart === undefined ? name : `${schemaPart}.${name}`;
  throw new PgError(SqlState.UndefinedTable, `relation "${shown}" does not exist`, at(stmt, rangeVar.location));
}

/** The ParamValue of an A_Const. */
function constValue(body: AstBody): ParamValue {
  if (body.isnull === true) return { kind: 'null' };
  const ival = body.ival as AstBody | undefined;
  if (ival !== undefined) return { kind: 'int', value: BigInt(num(ival.ival) ?? 0) };
  const fval = body.fval as AstBody | undefined;
  if (fval !== undefined) return { kind: 'numeric', value: str(fval.fval) ?? '0' };
  const sval = body.sval as AstBody | undefined;
  if (sval !== undefined) return { kind: 'text', value: str(sval.sval) ?? '' };
  const boolval = body.boolval as AstBody | undefined;
  if (boolval !== undefined) return { kind: 'bool', value: boolval.boolval === true };
  return { kind: 'null' };
}

function valueExpr(stmt: ParsedStatement, node: unknown): ValueExpr {
  const type = nodeType(node);
  const body = nodeBody(node);
  if (type === 'A_Const') return { kind: 'const', value: constValue(body) };
  if (type === 'ParamRef') return { kind: 'param', index: (num(body.number) ?? 1) - 1 };
  if (type === 'SetToDefault') return { kind: 'const', value: { kind: 'null' } };
  if (type === 'TypeCast') {
    const typeName = names(nodeBody(body.typeName).names ?? (body.typeName as AstBody | undefined)?.names);
    const last = typeName[typeName.length - 1] ?? '';
    const arg = body.arg;
    if (nodeType(arg) === 'A_Const' && TEXT_CASTS.has(last)) {
      const value = constValue(nodeBody(arg));
      if (value.kind === 'text' || value.kind === 'null') return { kind: 'const', value };
    }
  }
  throw unsupported('an expression in INSERT ... VALUES', 'Use constants or parameters in VALUES, or INSERT ... SELECT.', positionOf(stmt, num(body.location)));
}

function valuesRows(stmt: ParsedStatement, select: AstBody): ValueExpr[][] {
  const lists = list(select.valuesLists).map((l) => list(nodeBody(l).items));
  const width = lists[0]?.length ?? 0;
  return lists.map((items) => {
    if (items.length !== width) throw new PgError(SqlState.SyntaxError, 'VALUES lists must all be the same length', at(stmt, nodeBody(items[0]).location));
    return items.map((item) => valueExpr(stmt, item));
  });
}

/** True for a bare VALUES list (no ORDER BY, LIMIT or WITH around it). */
function isPlainValues(select: AstBody): boolean {
  return select.valuesLists !== undefined && select.sortClause === undefined && select.limitCount === undefined && select.withClause === undefined;
}

/** The rows of INSERT's or CREATE TABLE AS's query: VALUES lists, or a query translated like any other. */
export function rowSource(stmt: ParsedStatement, query: AstNode): RowSourcePlan {
  const select = bodyIf(query, 'SelectStmt');
  if (select !== undefined && isPlainValues(select)) return { kind: 'values', rows: valuesRows(stmt, select) };
  return { kind: 'select', query: { ...stmt, ast: query, nodeType: nodeType(query) ?? 'SelectStmt', route: 'data' } };
}

/** INSERT INTO t [(cols)] VALUES ... | SELECT ...: 42P01, 42703, 42701 and 42601 as in PostgreSQL. */
export function insertPlan(stmt: ParsedStatement, schema: SchemaSnapshot, schemaName: string): InsertPlan {
  const body = nodeBody(stmt.ast);
  const relation = body.relation as AstBody;
  if (body.returningList !== undefined) throw unsupported('INSERT ... RETURNING', 'Ingestion returns no rows; SELECT them once the INSERT completes.');
  if (body.onConflictClause !== undefined) throw unsupported('INSERT ... ON CONFLICT', 'Druid tables have no unique constraints.');
  if (body.withClause !== undefined) throw unsupported('WITH on INSERT', 'Put the WITH inside the SELECT.');
  if (body.selectStmt === undefined) throw unsupported('INSERT ... DEFAULT VALUES', 'Druid rows need a __time value.');
  const table = targetTable(stmt, relation, schema, schemaName) as TableInfo;
  const known = new Set(table.columns.map((c) => c.name));
  const named = list(body.cols).map((c) => nodeBody(c));
  const columns = named.length > 0 ? named.map((c) => str(c.name) ?? '') : [...table.columns].sort((a, b) => a.ordinal - b.ordinal).map((c) => c.name);
  const seen = new Set<string>();
  named.forEach((c, i) => {
    const name = columns[i] ?? '';
    if (c.indirection !== undefined) throw unsupported('INSERT into a subfield or array element', undefined, positionOf(stmt, num(c.location)));
    if (!known.has(name)) throw new PgError(SqlState.UndefinedColumn, `column "${name}" of relation "${table.name}" does not exist`, at(stmt, c.location));
    if (seen.has(name)) throw new PgError(SqlState.DuplicateColumn, `column "${name}" specified more than once`, at(stmt, c.location));
    seen.add(name);
  });
  const source = rowSource(stmt, body.selectStmt as AstNode);
  if (source.kind === 'values') {
    const width = source.rows[0]?.length ?? 0;
    if (width > columns.length) throw new PgError(SqlState.SyntaxError, 'INSERT has more expressions than target columns');
    if (width < named.length) throw new PgError(SqlState.SyntaxError, 'INSERT has more target columns than expressions');
    return { table: table.name, columns: columns.slice(0, width), source };
  }
  return { table: table.name, columns, source };
}

/** CREATE TABLE t [(cols)] AS SELECT ... | VALUES ...: a new Druid table made by ingesting the rows. */
export interface CreateAsPlan {
  table: string;
  /** The table exists already: 42P07, or a NOTICE with IF NOT EXISTS. */
  exists: boolean;
  ifNotExists: boolean;
  /** Column names given after the table name (they replace the query's, in order). */
  columnNames: string[];
  source: RowSourcePlan;
}

export function createAsPlan(stmt: ParsedStatement, schema: SchemaSnapshot, schemaName: string): CreateAsPlan {
  const body = nodeBody(stmt.ast);
  const into = body.into as AstBody;
  if (str(body.objtype) === 'OBJECT_MATVIEW') throw unsupported('CREATE MATERIALIZED VIEW', 'Use CREATE TABLE ... AS SELECT to ingest the rows into a new Druid table.');
  if (into.skipData === true) throw unsupported('CREATE TABLE AS ... WITH NO DATA', 'Druid has no empty tables.');
  if (into.options !== undefined || into.accessMethod !== undefined || into.tableSpaceName !== undefined) throw unsupported('CREATE TABLE AS options');
  const rel = into.rel as AstBody;
  const existing = targetTable(stmt, rel, schema, schemaName, true);
  return {
    table: existing?.name ?? str(rel.relname) ?? '',
    exists: existing !== null,
    ifNotExists: body.if_not_exists === true,
    columnNames: names(into.colNames),
    source: rowSource(stmt, body.query as AstNode),
  };
}
