import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { SessionContext } from './context.js';

/**
 * Backend queries one session may hold open at once through suspended portals and data cursors:
 * each holds a backend HTTP connection until it is read to the end or closed (60 suspended portals
 * held 51 Druid connections). PostgreSQL has no such limit; a portal past it fails with 53400.
 */
export const MAX_OPEN_BACKEND_QUERIES = 16;

/** Throws 53400 when opening one more backend query would pass MAX_OPEN_BACKEND_QUERIES. */
export function reserveBackendQuery(ctx: SessionContext): void {
  let held = ctx.statements.openBackendQueries();
  for (const cursor of ctx.cursors.values()) if (cursor.kind === 'data') held++;
  if (held < MAX_OPEN_BACKEND_QUERIES) return;
  throw new PgError(SqlState.ConfigurationLimitExceeded, `this session already holds ${held} open backend queries`, {
    detail: `Suspended portals and open data cursors each hold a backend query; at most ${MAX_OPEN_BACKEND_QUERIES} are allowed.`,
    hint: 'Fetch suspended portals and cursors to the end, or close them, before opening more.',
  });
}
