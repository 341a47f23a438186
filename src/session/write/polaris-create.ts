import { PgError, unsupported } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import { list, names, nodeBody, nodeType, num, str, type AstBody } from '../../sql/ast.js';
import { positionOf } from '../../sql/offsets.js';
import type { ParsedStatement } from '../../sql/types.js';
import type { IngestColumn, IngestColumnType, NewTable } from '../../schema/ingest.js';
import { TIME_COLUMN } from './targets.js';

/**
 * CREATE TABLE name (col type, ...) [WITH (type = detail|aggregate, partitioning = day,
 * schema_mode = strict|flexible, clustering = 'a,b')] on Polaris (docs/writes.md, "Polaris"): an
 * empty table through the Tables API. Decided on the parsed tree: the column types map to
 * Polaris data types in TYPES; anything Polaris cannot hold as declared is 0A000 naming it.
 */

/** PostgreSQL type (pg_catalog name) -> the column type written (Polaris string, long, float, double). */
const TYPES: Readonly<Record<string, IngestColumnType>> = {
  text: 'string',
  varchar: 'string',
  int2: 'long',
  int4: 'long',
  int8: 'long',
  float4: 'float',
  float8: 'double',
};
const TIME_TYPES: ReadonlySet<string> = new Set(['timestamptz', 'timestamp']);

/** The WITH options and their allowed values (Polaris' TableType, TableSchemaMode, TablePartitioningGranularity). */
const ENUM_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  type: ['detail', 'aggregate'],
  schema_mode: ['strict', 'flexible'],
  partitioning: ['second', 'minute', 'five_minute', 'ten_minute', 'fifteen_minute', 'thirty_minute', 'hour', 'six_hour', 'eight_hour', 'day', 'week', 'month', 'quarter', 'year', 'all'],
};
const CLUSTERING = 'clustering';

const SUPPORTED_TYPES_HINT = 'Polaris columns are declared as text or varchar, smallint, integer or bigint, real, double precision, and __time timestamptz.';

export interface CreateTablePlan {
  table: NewTable;
  ifNotExists: boolean;
}

function at(stmt: ParsedStatement, location: unknown): { position?: number } {
  const position = positionOf(stmt, num(location));
  return position === undefined ? {} : { position };
}

/** The option's value as written: a word (parsed as a type name), a string or a number. */
function optionValue(arg: unknown): string {
  const body = nodeBody(arg);
  switch (nodeType(arg)) {
    case 'TypeName':
      return names(body.names).at(-1) ?? '';
    case 'String':
      return str(body.sval) ?? '';
    case 'Integer':
      return String(num(body.ival) ?? 0);
    default:
      return str(body.fval) ?? str(body.sval) ?? '';
  }
}

/** PostgreSQL's enum reloption errors (reloptions.c parse_one_reloption): 22023. */
function options(stmt: ParsedStatement, body: AstBody): Map<string, string> {
  const given = new Map<string, string>();
  for (const item of list(body.options)) {
    const def = nodeBody(item);
    const name = str(def.defname) ?? '';
    const value = optionValue(def.arg);
    const allowed = ENUM_OPTIONS[name];
    if (allowed === undefined && name !== CLUSTERING) throw new PgError(SqlState.InvalidParameterValue, `unrecognized parameter "${name}"`, at(stmt, def.location));
    if (allowed !== undefined && !allowed.includes(value)) {
      const shown = allowed.map((v) => `"${v}"`);
      throw new PgError(SqlState.InvalidParameterValue, `invalid value for enum option "${name}": ${value}`, {
        detail: `Valid values are ${shown.slice(0, -1).join(', ')}, and ${shown.at(-1) ?? ''}.`,
        ...at(stmt, def.location),
      });
    }
    given.set(name, value);
  }
  return given;
}

/** One declared column; null for __time (every Polaris table has it). */
function column(stmt: ParsedStatement, def: AstBody): IngestColumn | null {
  const name = str(def.colname) ?? '';
  const typeName = (def.typeName ?? {}) as AstBody;
  const type = names(typeName.names).at(-1) ?? '';
  for (const c of list(def.constraints)) {
    const constraint = nodeBody(c);
    if (constraint.contype === 'CONSTR_NOTNULL' && name === TIME_COLUMN) continue;
    throw unsupported(`a constraint on column "${name}" of a Polaris table`, 'Polaris tables have no constraints (only __time is NOT NULL, always): drop it.', positionOf(stmt, num(constraint.location)));
  }
  if (typeName.arrayBounds !== undefined) {
    throw new PgError(SqlState.FeatureNotSupported, `column "${name}" of an array type cannot be declared in a Polaris table by polaris-pg`, { hint: SUPPORTED_TYPES_HINT, ...at(stmt, def.location) });
  }
  if (name === TIME_COLUMN) {
    if (!TIME_TYPES.has(type)) throw new PgError(SqlState.FeatureNotSupported, `column "${TIME_COLUMN}" must be of type timestamptz or timestamp in a Polaris table`, { hint: SUPPORTED_TYPES_HINT, ...at(stmt, def.location) });
    return null;
  }
  const mapped = TYPES[type];
  if (mapped === undefined) {
    throw new PgError(SqlState.FeatureNotSupported, `column "${name}" of type ${type} cannot be declared in a Polaris table by polaris-pg`, { hint: SUPPORTED_TYPES_HINT, ...at(stmt, def.location) });
  }
  return { name, type: mapped };
}

/** Refuses what a Polaris table cannot be: inheritance, partitioning, typed tables, table constraints. */
function refuseClauses(stmt: ParsedStatement, body: AstBody): void {
  if (list(body.inhRelations).length > 0) throw unsupported('CREATE TABLE ... INHERITS on Polaris');
  if (body.partspec !== undefined) throw unsupported('CREATE TABLE ... PARTITION BY on Polaris', "Use WITH (partitioning = 'day') for Polaris' time partitioning.");
  if (body.partbound !== undefined || body.ofTypename !== undefined) throw unsupported('CREATE TABLE ... PARTITION OF / OF type on Polaris');
  if (body.accessMethod !== undefined || body.tablespacename !== undefined) throw unsupported('CREATE TABLE ... USING / TABLESPACE on Polaris');
  for (const element of list(body.tableElts)) {
    if (nodeType(element) !== 'ColumnDef') {
      throw unsupported(`${nodeType(element) === 'Constraint' ? 'a table constraint' : 'LIKE'} in CREATE TABLE on Polaris`, 'Declare the columns only.', positionOf(stmt, num(nodeBody(element).location)));
    }
  }
}

/** The Polaris table a CREATE TABLE statement declares (the relation is checked by the caller). */
export function createTablePlan(stmt: ParsedStatement, tableName: string): CreateTablePlan {
  const body = nodeBody(stmt.ast);
  refuseClauses(stmt, body);
  const given = options(stmt, body);
  const defs = list(body.tableElts).map((e) => nodeBody(e));
  const seen = new Set<string>();
  for (const def of defs) {
    const name = str(def.colname) ?? '';
    if (seen.has(name)) throw new PgError(SqlState.DuplicateColumn, `column "${name}" specified more than once`, at(stmt, def.location));
    seen.add(name);
  }
  if (!seen.has(TIME_COLUMN)) {
    throw unsupported('a Polaris table without a __time column', 'Every Polaris table has a time column: declare __time timestamptz (NOT NULL is implied).');
  }
  const columns = defs.map((d) => column(stmt, d)).filter((c): c is IngestColumn => c !== null);
  const clustering = (given.get(CLUSTERING) ?? '').split(',').map((c) => c.trim()).filter((c) => c !== '');
  for (const name of clustering) {
    if (!seen.has(name)) throw new PgError(SqlState.UndefinedColumn, `column "${name}" named in clustering does not exist`);
  }
  return {
    table: {
      name: tableName,
      type: given.get('type') === 'aggregate' ? 'aggregate' : 'detail',
      schemaMode: given.get('schema_mode') === 'strict' ? 'strict' : 'flexible',
      partitioning: given.get('partitioning') ?? 'day',
      clusteringColumns: clustering,
      columns,
    },
    ifNotExists: body.if_not_exists === true,
  };
}
