/**
 * Shared setup of the catalog differential suites: one gateway on the real Druid, the PostgreSQL
 * twin, and the normalizations applied before gateway and twin answers are compared. Every
 * normalization is listed (and justified) in docs/catalog.md "Differential tests".
 */
import type { Gateway } from '../../../src/server/gateway.js';
import { druidUrl, postgresUrl, startTestGateway } from '../../support/gateway.js';

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

/** How long to wait for a Druid that is (re)starting or (re)loading the fixtures. */
const DRUID_WAIT_MS = 180_000;
const DRUID_POLL_MS = 2_000;
const FIXTURE_TABLES = ['Koalas to the Max', 'customers', 'events', 'orders'];
const TABLES_SQL = "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'druid' ORDER BY TABLE_NAME";

/** Whether the broker answers SQL and lists every fixture table. */
async function fixturesServed(): Promise<boolean> {
  const response = await fetch(new URL('/druid/v2/sql', druidUrl()), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: TABLES_SQL, resultFormat: 'array' }),
  });
  if (!response.ok) return false;
  const names = ((await response.json()) as string[][]).map(([name]) => name);
  return FIXTURE_TABLES.every((t) => names.includes(t));
}

async function waitForDruid(): Promise<void> {
  const deadline = Date.now() + DRUID_WAIT_MS;
  while (!(await fixturesServed().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Druid at ${druidUrl()} does not serve the fixture tables`);
    await new Promise((resolve) => setTimeout(resolve, DRUID_POLL_MS));
  }
}

/** Starts a gateway on the Druid of POLARIS_PG_TEST_DRUID_URL and resolves the twin's URL. */
export async function startSides(): Promise<Sides> {
  await waitForDruid();
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

/** Schemas of built-in objects, whose contents differ between PostgreSQL 15 (twin) and 18 (PGlite). */
export const BUILTIN_SCHEMAS: ReadonlySet<string> = new Set(['pg_catalog', 'information_schema', 'pg_toast']);

/**
 * A whole version() string, e.g. "PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu,
 * compiled by gcc ..., 64-bit" (the twin) or "PostgreSQL 18.6 (PGlite 0.5.16) on
 * wasm32-unknown-emscripten, compiled by emcc ..., 32-bit" (the catalog engine).
 */
export const VERSION_PATTERN = /PostgreSQL \d+\.\d+[^"]*?, \d+-bit/g;

/**
 * Built-in types of PostgreSQL 18 (PGlite) that 15 (the twin) lacks: the row-array types of the
 * system views pg_stat_io (16), pg_stat_checkpointer and pg_wait_events (17), pg_aios and
 * pg_shmem_allocations_numa (18), as pgjdbc getTypeInfo lists them.
 */
export const TYPES_ADDED_AFTER_15: readonly string[] = ['_pg_aios', '_pg_shmem_allocations_numa', '_pg_stat_checkpointer', '_pg_stat_io', '_pg_wait_events'];

/** pg_get_keywords() of PostgreSQL 18 minus 15's (SQL/JSON in 16-17, MERGE RETURNING, temporal keys, virtual columns in 18). */
export const KEYWORDS_ADDED_AFTER_15: readonly string[] = [
  'absent', 'conditional', 'empty', 'enforced', 'error', 'format', 'indent', 'json', 'json_array', 'json_arrayagg',
  'json_exists', 'json_object', 'json_objectagg', 'json_query', 'json_scalar', 'json_serialize', 'json_table',
  'json_value', 'keep', 'keys', 'merge_action', 'nested', 'objects', 'omit', 'period', 'plan', 'quotes', 'scalar',
  'string', 'target', 'unconditional', 'virtual',
];

/** Keywords of PostgreSQL 15 that 18 dropped (RECHECK, unused since 8.4, was removed in 17). */
export const KEYWORDS_REMOVED_AFTER_15: readonly string[] = ['recheck'];

/** The engine's own tables (src/catalog/bootstrap.ts), listed among pg_catalog's. */
export const INTERNAL_TABLES: readonly string[] = ['pg_catalog.polaris_activity', 'pg_catalog.polaris_mirrors'];
