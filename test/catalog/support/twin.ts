/**
 * Shared setup of the catalog differential suites: one gateway on the real Druid, the PostgreSQL
 * twin, and the normalizations applied before gateway and twin answers are compared. Every
 * normalization is listed (and justified) in docs/catalog.md "Differential tests".
 */
import type { Gateway } from '../../../src/server/gateway.js';
import { postgresUrl, startTestGateway } from '../../support/gateway.js';

/**
 * Both sides are reached as the twin's superuser "postgres" and database "fixtures", so
 * current_user, current_database() and owners agree without normalization.
 */
export const USER = 'postgres';
export const DATABASE = 'fixtures';

export interface Sides {
  gateway: Gateway;
  /** libpq URL of the gateway. */
  gatewayUrl: string;
  /** libpq URL of the twin. */
  twinUrl: string;
  host: string;
  gatewayPort: number;
  twinPort: number;
}

/** Starts a gateway on the Druid of POLARIS_PG_TEST_DRUID_URL and resolves the twin's URL. */
export async function startSides(): Promise<Sides> {
  const gateway = await startTestGateway();
  const twin = new URL(postgresUrl());
  return {
    gateway,
    gatewayUrl: `postgresql://${USER}@127.0.0.1:${gateway.port}/${DATABASE}`,
    twinUrl: `postgresql://${USER}@${twin.hostname}:${twin.port}/${DATABASE}`,
    host: '127.0.0.1',
    gatewayPort: gateway.port,
    twinPort: Number(twin.port),
  };
}

/**
 * The twin's maintenance database "postgres" (created by initdb), which the gateway does not
 * have: it shows one database, the one the client connected to, plus the templates.
 */
export const TWIN_ONLY_DATABASE = 'postgres';

/** Schemas of built-in objects, whose contents differ between PostgreSQL 15 (twin) and 18 (PGlite). */
export const BUILTIN_SCHEMAS: ReadonlySet<string> = new Set(['pg_catalog', 'information_schema', 'pg_toast']);

/** psql's version-dependent line of version() and server_version_num. */
export const VERSION_PATTERN = /PostgreSQL \d+\.\d+[^,]*/g;
