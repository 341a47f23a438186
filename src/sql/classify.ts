import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { bodyIf, list, names, nodeBody, nodeType, num, str, visit, type AstNode } from './ast.js';
import { CATALOG_SCHEMAS, PG_CATALOG_RELATIONS, TEMP_TABLE_PREFIX } from './catalog-relations.js';
import type { StatementRoute } from './types.js';

/** Statements the gateway answers itself (session state, transactions, cursors, SQL PREPARE). */
const UTILITY_NODES: ReadonlySet<string> = new Set([
  'VariableSetStmt',
  'VariableShowStmt',
  'TransactionStmt',
  'DeclareCursorStmt',
  'FetchStmt',
  'ClosePortalStmt',
  'DiscardStmt',
  'DeallocateStmt',
  'PrepareStmt',
  'ExecuteStmt',
  'ListenStmt',
  'UnlistenStmt',
]);

/** RangeVar.relpersistence of TEMP tables. */
const RELPERSISTENCE_TEMP = 't';

/** A relation a statement reads, with its 0-based location. */
export interface RelationRef {
  schema: string | undefined;
  name: string;
  location: number | undefined;
  kind: 'catalog' | 'data';
}

const MODIFYING_NODES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** True when an INSERT, UPDATE, DELETE or MERGE appears anywhere inside the tree. */
function containsModification(tree: unknown): boolean {
  if (Array.isArray(tree)) return tree.some(containsModification);
  if (tree === null || typeof tree !== 'object') return false;
  for (const [key, value] of Object.entries(tree)) {
    if (MODIFYING_NODES.has(key) || containsModification(value)) return true;
  }
  return false;
}

/**
 * Routes one statement (RawStmt.stmt). Statements that read only pg_catalog /
 * information_schema relations, or no relation at all (SELECT 1, SELECT version()), go to
 * PGlite; those that read only Druid tables are 'data'. Throws 0A000 for a mix of both.
 * DECLARE and PREPARE are 'utility'; classify their query with innerQuery(). `locate` turns an
 * AST location into the error position.
 */
export function classify(ast: AstNode, locate: (location: number) => number = (l) => l + 1): StatementRoute {
  const type = nodeType(ast) ?? '';
  if (UTILITY_NODES.has(type)) return 'utility';
  // A data-modifying CTE (WITH d AS (DELETE ...) SELECT ...) must never reach the shared catalog:
  // as 'data' it is refused by the translator.
  if (type !== 'InsertStmt' && containsModification(nodeBody(ast))) return 'data';
  const body = nodeBody(ast);
  switch (type) {
    case 'SelectStmt':
      return body.intoClause === undefined ? routeOfRelations(ast, locate) : 'write';
    case 'ExplainStmt': {
      // EXPLAIN of a write stays 'data', where the translator refuses it: it must not ingest.
      const inner = classify(body.query as AstNode, locate);
      return inner === 'write' ? 'data' : inner;
    }
    case 'CreateStmt':
      return isTempRangeVar(body.relation) ? 'catalog' : 'write';
    case 'CreateTableAsStmt': {
      const into = body.into as Record<string, unknown> | undefined;
      if (!isTempRangeVar(into?.rel)) return 'write';
      return classify(body.query as AstNode, locate) === 'catalog' ? 'catalog' : 'data';
    }
    case 'InsertStmt':
      if (!isTempRangeVar(body.relation)) return isUserRelation(body.relation) ? 'write' : 'data';
      return !containsModification(body.selectStmt) && !containsModification(body.withClause) &&
        routeOfRelations(body.selectStmt, locate) === 'catalog'
        ? 'catalog'
        : 'data';
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      return isUserRelation(body.relation) ? 'write' : 'data';
    case 'TruncateStmt':
      return list(body.relations).some(isUserRelation) ? 'write' : 'data';
    case 'CopyStmt':
      return body.is_from === true && isUserRelation(body.relation) ? 'write' : 'data';
    case 'DropStmt':
      if (str(body.removeType) !== 'OBJECT_TABLE') return 'data';
      return list(body.objects).every(isTempObjectName) ? 'catalog' : 'write';
    default:
      return 'data';
  }
}

/** A RangeVar naming a Druid table: neither a temp table nor a pg_catalog/information_schema relation. */
function isUserRelation(rangeVar: unknown): boolean {
  if (rangeVar === null || typeof rangeVar !== 'object') return false;
  const node = rangeVar as Record<string, unknown>;
  const rv = (node.RangeVar ?? node) as Record<string, unknown>;
  const name = str(rv.relname);
  if (name === undefined || isTempRangeVar(rv)) return false;
  return relationKind(str(rv.schemaname), name) === 'data';
}

/** The query inside DECLARE ... CURSOR FOR, PREPARE ... AS or EXPLAIN, if any. */
export function innerQuery(ast: AstNode): AstNode | undefined {
  const body = bodyIf(ast, 'DeclareCursorStmt') ?? bodyIf(ast, 'PrepareStmt') ?? bodyIf(ast, 'ExplainStmt');
  const query = body?.query;
  return query !== null && typeof query === 'object' ? (query as AstNode) : undefined;
}

/** Every relation (RangeVar) the tree reads, excluding references to its own CTEs. */
export function referencedRelations(tree: unknown): RelationRef[] {
  const cteNames = new Set<string>();
  visit(tree, (key, value) => {
    if (key === 'CommonTableExpr' && typeof value.ctename === 'string') cteNames.add(value.ctename);
  });
  const refs: RelationRef[] = [];
  visit(tree, (key, value) => {
    if (key !== 'RangeVar') return;
    const schema = str(value.schemaname);
    const name = str(value.relname) ?? '';
    if (schema === undefined && cteNames.has(name)) return;
    refs.push({ schema, name, location: num(value.location), kind: relationKind(schema, name) });
  });
  return refs;
}

function relationKind(schema: string | undefined, name: string): 'catalog' | 'data' {
  if (schema !== undefined) return CATALOG_SCHEMAS.has(schema) ? 'catalog' : 'data';
  return PG_CATALOG_RELATIONS.has(name) || name.startsWith(TEMP_TABLE_PREFIX) ? 'catalog' : 'data';
}

function routeOfRelations(tree: unknown, locate: (location: number) => number): StatementRoute {
  const refs = referencedRelations(tree);
  const data = refs.find((r) => r.kind === 'data');
  if (data === undefined) return 'catalog';
  if (refs.every((r) => r.kind === 'data')) return 'data';
  const catalog = refs.find((r) => r.kind === 'catalog');
  throw new PgError(
    SqlState.FeatureNotSupported,
    `cannot combine ${qualified(catalog)} with Druid table ${qualified(data)} in one query`,
    {
      hint: 'A query cannot mix pg_catalog/information_schema relations with Druid tables.',
      ...(data.location === undefined ? {} : { position: locate(data.location) }),
    },
  );
}

function qualified(ref: RelationRef | undefined): string {
  if (ref === undefined) return '';
  return `"${ref.schema === undefined ? '' : `${ref.schema}.`}${ref.name}"`;
}

function isTempRangeVar(rangeVar: unknown): boolean {
  if (rangeVar === null || typeof rangeVar !== 'object') return false;
  const rv = rangeVar as Record<string, unknown>;
  const name = str(rv.relname) ?? '';
  return str(rv.relpersistence) === RELPERSISTENCE_TEMP || name.startsWith(TEMP_TABLE_PREFIX);
}

function isTempObjectName(object: unknown): boolean {
  const parts = names(nodeBody(object).items);
  const last = parts[parts.length - 1];
  return last !== undefined && last.startsWith(TEMP_TABLE_PREFIX);
}
