/**
 * What the catalog engine needs to know about a catalog statement, read from its parse tree
 * (never from its text, where a comment, a literal or a U& identifier would mislead).
 */
import { bodyIf, names, str, stringValue, visit, type AstNode } from './ast.js';

export interface CatalogFacts {
  /**
   * The statement holds a parameter reference ($n). In the simple protocol PostgreSQL rejects it
   * at parse analysis (42P02 "there is no parameter $1"), so it must not run as a shared prepared
   * statement, whose Bind would fail differently.
   */
  parameters: boolean;
  /**
   * The statement may read the gateway sessions' pg_stat_activity rows, which the engine keeps in
   * a table brought up to date only for such statements (docs/catalog.md): it names
   * pg_stat_activity, pg_stat_get_activity, the signal functions or an engine object (`polaris_`
   * prefix); calls a function that runs SQL given as text (query_to_xml, ts_stat, ...); names
   * anything in the temp schema (a function, type or operator there may read the view); or is a
   * DO block (whose body is not parsed here). A temp relation (a view over pg_stat_activity, a
   * trigger or rule on a temp table) is the engine's to notice: it knows each session's temp
   * relations.
   */
  readsActivity: boolean;
}

/** Relations and functions that read the activity rows, lower-case. */
const ACTIVITY_OBJECTS = new Set(['pg_stat_activity', 'pg_stat_get_activity', 'pg_cancel_backend', 'pg_terminate_backend']);
/**
 * Functions that run a query given as text, which the tree does not show
 * (https://www.postgresql.org/docs/current/functions-xml.html#FUNCTIONS-XML-MAPPING,
 * https://www.postgresql.org/docs/current/functions-textsearch.html).
 */
const SQL_TEXT_FUNCTIONS = new Set([
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'cursor_to_xml',
  'cursor_to_xmlschema',
  'table_to_xml',
  'table_to_xmlschema',
  'table_to_xml_and_xmlschema',
  'schema_to_xml',
  'schema_to_xmlschema',
  'schema_to_xml_and_xmlschema',
  'database_to_xml',
  'database_to_xmlschema',
  'database_to_xml_and_xmlschema',
  'ts_stat',
  'ts_rewrite',
]);
/** The prefix of the engine's own objects in pg_catalog (src/catalog/bootstrap.ts). */
const ENGINE_PREFIX = 'polaris_';
const TEMP_SCHEMA = 'pg_temp';

const known = new WeakMap<object, CatalogFacts>();

function namesActivity(name: string | undefined): boolean {
  return name !== undefined && (ACTIVITY_OBJECTS.has(name) || name.startsWith(ENGINE_PREFIX));
}

/** Whether a qualified name (a list of String nodes: function, type, operator) is in the temp schema. */
function inTempSchema(value: unknown): boolean {
  return Array.isArray(value) && stringValue(value[0]) === TEMP_SCHEMA;
}

/** The facts of a statement's tree (parser.ts keeps trees frozen and shared, so they are kept per tree). */
export function catalogFacts(ast: AstNode): CatalogFacts {
  const cached = known.get(ast);
  if (cached !== undefined) return cached;
  const facts: CatalogFacts = { parameters: false, readsActivity: bodyIf(ast, 'DoStmt') !== undefined };
  visit(ast, (key, value) => {
    if (key === 'ParamRef') facts.parameters = true;
    else if (key === 'RangeVar') {
      if (namesActivity(str(value.relname)) || str(value.schemaname) === TEMP_SCHEMA) facts.readsActivity = true;
    } else if (key === 'FuncCall') {
      const name = names(value.funcname).at(-1);
      if (namesActivity(name) || (name !== undefined && SQL_TEXT_FUNCTIONS.has(name))) facts.readsActivity = true;
    }
    if (Object.values(value).some(inTempSchema)) facts.readsActivity = true;
  });
  known.set(ast, facts);
  return facts;
}
