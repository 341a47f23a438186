import { PgError, unsupported } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import { catalogFacts } from '../../sql/catalog-facts.js';
import type { CatalogPortal, CatalogStatement } from '../state.js';
import { refreshManagementViews } from '../write/management.js';
import { portalBase, type Route } from './route.js';

/**
 * Largest type OID the catalog engine (PGlite) is sent: it has no type above it, and a Parse that
 * declares one (as an unsigned OID of 2^31 or more) never got an answer from it.
 */
const MAX_ENGINE_OID = 0x7fffffff;

/**
 * Statements over pg_catalog and information_schema (and temp tables): answered by the session's
 * view of the shared catalog engine. In the extended protocol each message goes to the catalog
 * and its reply (ParseComplete, BindComplete, rows, errors) is relayed unchanged; a simple Query
 * statement runs there as a simple query.
 */
export const catalogRoute: Route<'catalog'> = {
  async parse(ctx, request) {
    const stmt = request.stmt;
    if (stmt === null) throw new PgError(SqlState.InternalError, 'a catalog statement without a statement');
    if (request.protocol === 'sql') {
      throw unsupported('PREPARE of a catalog statement', 'Run the statement directly, or prepare it with the extended protocol (Parse).');
    }
    if (stmt.nodeType === 'CopyStmt' && request.protocol === 'extended') {
      throw unsupported('COPY of a catalog query in the extended protocol', 'Send it as a simple query.');
    }
    const unusable = request.paramTypes.find((oid) => oid > MAX_ENGINE_OID);
    if (unusable !== undefined) {
      throw unsupported(`parameter type OID ${unusable} in a catalog statement`, `The catalog engine has no type OID above ${MAX_ENGINE_OID}; declare the parameter type as 0 (unspecified) or a built-in type.`);
    }
    const statement: CatalogStatement = { route: 'catalog', name: request.name, stmt, paramTypes: [...request.paramTypes], inCatalog: false };
    if (request.protocol === 'extended') {
      await ctx.catalogMessage((c) => c.parse(request.name, stmt.text, [...request.paramTypes], stmt.nodeType === 'SelectStmt', catalogFacts(stmt.ast)));
      statement.inCatalog = true;
    }
    return statement;
  },

  async bind(ctx, statement, request) {
    const portal: CatalogPortal = { ...portalBase(request), route: 'catalog', statement };
    // Only Bind is relayed: SQL EXECUTE of a statement parsed in the catalog would send its protocol replies.
    if (statement.inCatalog && !request.reply) throw unsupported('EXECUTE of a catalog statement prepared with Parse', 'Bind it instead.');
    if (statement.inCatalog) {
      // The portal runs at Bind (catalog-session.ts): the views are filled before.
      await refreshManagementViews(ctx, statement.stmt);
      await ctx.catalogMessage((c) =>
        c.bind(request.portal, statement.name, [...request.paramFormats], [...request.params], request.resultFormats ?? []),
      );
    }
    return portal;
  },

  async describe(ctx, what) {
    await ctx.catalogMessage((c) => (what.target === 'S' ? c.describe('S', what.statement.name) : c.describe('P', what.portal.name)));
  },

  async execute(ctx, portal, maxRows) {
    const stmt = portal.statement.stmt;
    if (portal.statement.inCatalog) await ctx.catalogMessage((c) => c.execute(portal.name, maxRows));
    else {
      await refreshManagementViews(ctx, stmt);
      ctx.relay(await (await ctx.catalog()).simpleQuery(stmt.text, stmt.nodeType === 'SelectStmt', catalogFacts(stmt.ast)));
    }
    return true;
  },

  async close(ctx, what, reply) {
    const inCatalog = what.target === 'S' ? what.statement.inCatalog : what.portal.statement.inCatalog;
    const name = what.target === 'S' ? what.statement.name : what.portal.name;
    if (!inCatalog) {
      if (reply) ctx.out.writer.closeComplete();
      return;
    }
    if (reply) await ctx.catalogMessage((c) => c.close(what.target, name));
    // DEALLOCATE answers with its own tag; portals the session drops end with the catalog's transaction.
    else if (what.target === 'S') await (await ctx.catalog()).close('S', name);
  },
};
