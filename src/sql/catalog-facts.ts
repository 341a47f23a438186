/**
 * What the catalog engine needs to know about a catalog statement, read from its parse tree
 * (never from its text, where a comment, a literal or a U& identifier would mislead).
 */
import { bodyIf, names, visit, type AstNode } from './ast.js';

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
   * prefix), calls a function of the temp schema, or runs a DO block (whose body is not parsed
   * here). A temp view over pg_stat_activity is the engine's to notice (it knows each session's
   * temp relations).
   */
  readsActivity: boolean;
}

/** Relations and functions that read the activity rows, lower-case. */
const ACTIVITY_OBJECTS = new Set(['pg_stat_activity', 'pg_stat_get_activity', 'pg_cancel_backend', 'pg_terminate_backend']);
/** The prefix of the engine's own objects in pg_catalog (src/catalog/bootstrap.ts). */
const ENGINE_PREFIX = 'polaris_';
const TEMP_SCHEMA = 'pg_temp';

const known = new WeakMap<object, CatalogFacts>();

function namesActivity(name: string | undefined): boolean {
  return name !== undefined && (ACTIVITY_OBJECTS.has(name) || name.startsWith(ENGINE_PREFIX));
}

/** The facts of a statement's tree (parser.ts keeps trees frozen and shared, so they are kept per tree). */
export function catalogFacts(ast: AstNode): CatalogFacts {
  const cached = known.get(ast);
  if (cached !== undefined) return cached;
  const facts: CatalogFacts = { parameters: false, readsActivity: bodyIf(ast, 'DoStmt') !== undefined };
  visit(ast, (key, value) => {
    if (key === 'ParamRef') facts.parameters = true;
    else if (key === 'RangeVar') {
      if (namesActivity(typeof value.relname === 'string' ? value.relname : undefined)) facts.readsActivity = true;
    } else if (key === 'FuncCall') {
      const name = names(value.funcname);
      if (namesActivity(name.at(-1)) || name[0] === TEMP_SCHEMA) facts.readsActivity = true;
    }
  });
  known.set(ast, facts);
  return facts;
}
