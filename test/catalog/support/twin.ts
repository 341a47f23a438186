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

/**
 * A whole version() string, e.g. "PostgreSQL 18.4 on x86_64-pc-linux-gnu, compiled by gcc
 * ..., 64-bit" (the twin) or "PostgreSQL 18.6 (PGlite 0.5.16) on
 * wasm32-unknown-emscripten, compiled by emcc ..., 32-bit" (the catalog engine).
 */
export const VERSION_PATTERN = /PostgreSQL \d+\.\d+[^"]*?, \d+-bit/g;
