/**
 * The SQL that puts the shared PGlite into one client's state before that client's
 * request: its GUCs, its pid, its role, and the rows behind
 * pg_stat_activity.
 */
import { Guc, QUERY_ID_COLUMN, SET_CONFIG_UNCHECKED, TRY_SET_FUNCTION } from './bootstrap.js';
import { ConnectionGuc } from './connection-functions.js';
import { ACTIVITY_FILE, writeFileSql } from './engine-files.js';
import { quoteIdent, quoteLiteral } from './mirror.js';
import type { CatalogSessionInfo, SessionActivity } from './types.js';

/**
 * Client GUCs replayed into PGlite (lower-case names), with the value used when the client has none:
 * PostgreSQL's defaults (PGlite starts with search_path=public) and the gateway's UTC time zone.
 * Others (client_encoding, statement_timeout, ...) do not change catalog answers.
 * https://www.postgresql.org/docs/current/runtime-config-client.html
 */
export const APPLIED_SETTINGS: ReadonlyMap<string, string> = new Map([
  ['application_name', ''],
  ['bytea_output', 'hex'],
  ['client_min_messages', 'notice'],
  ['datestyle', 'ISO, MDY'],
  ['extra_float_digits', '1'],
  ['intervalstyle', 'postgres'],
  ['search_path', '"$user", public'],
  ['standard_conforming_strings', 'on'],
  ['timezone', 'UTC'],
]);

function appliedEntries(info: CatalogSessionInfo): [string, string][] {
  const settings = info.settings();
  return [...APPLIED_SETTINGS].map(([name, fallback]) => [name, settings.get(name) ?? fallback]);
}

/**
 * What parse analysis reads besides the catalog: the role ("$user" in search_path), the database,
 * the mirror and the applied settings (application_name aside), which shape name lookup and literals.
 */
export function parseContextKey(info: CatalogSessionInfo): string {
  return JSON.stringify([info.user, info.database, info.mirror, appliedEntries(info).filter(([name]) => name !== 'application_name')]);
}

/** An IPv4 address Node reports in IPv6-mapped form (a dual-stack listener) is the IPv4 one, as PostgreSQL reports it. */
const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

function inetText(address: string | undefined): string {
  return address === undefined ? '' : address.replace(IPV4_MAPPED, '$1');
}

/**
 * Every value PGlite must hold for the client: its GUCs and the placeholders read by
 * pg_backend_pid() and the inet_*() functions (connection-functions.ts).
 */
export function desiredSettings(info: CatalogSessionInfo): Map<string, string> {
  return new Map([
    ...appliedEntries(info),
    [Guc.pid, String(info.processId)],
    [ConnectionGuc.clientAddr, inetText(info.connection?.clientAddr)],
    [ConnectionGuc.clientPort, info.connection === undefined ? '' : String(info.connection.clientPort)],
    [ConnectionGuc.serverAddr, inetText(info.connection?.serverAddr)],
    [ConnectionGuc.serverPort, info.connection === undefined ? '' : String(info.connection.serverPort)],
  ]);
}

/**
 * The statements that take PGlite from `applied` (what it holds now; null when unknown, then
 * RESET ALL comes first) to `desired`. A value equal to PGlite's boot value (`defaults`) is RESET
 * rather than set, so pg_settings.source stays 'default' as in PostgreSQL. With `tolerant`, a
 * value PGlite rejects is skipped (try_set swallows the error, at the cost of a subtransaction
 * per setting). set_config() rather than SET, because clients report list values
 * (search_path, DateStyle) as one string, which SET would take as one element.
 */
export function settingsSql(
  desired: ReadonlyMap<string, string>,
  applied: ReadonlyMap<string, string> | null,
  defaults: ReadonlyMap<string, string>,
  tolerant = false,
): string {
  const parts = applied === null ? ['RESET ALL;'] : [];
  const calls: string[] = [];
  for (const [name, value] of desired) {
    const current = applied === null ? defaults.get(name) : applied.get(name);
    if (current === value) continue;
    if (defaults.get(name) === value) parts.push(`RESET ${quoteIdent(name)};`);
    else if (tolerant) calls.push(`${TRY_SET_FUNCTION}(${quoteLiteral(name)}, ${quoteLiteral(value)})`);
    else calls.push(`${SET_CONFIG_UNCHECKED}(${quoteLiteral(name)}, ${quoteLiteral(value)}, false)`);
  }
  if (calls.length > 0) parts.push(`SELECT ${calls.join(', ')};`);
  return parts.join('\n');
}

/**
 * The bootstrap superuser of a PGlite data directory. RESET SESSION AUTHORIZATION does not return
 * to it in PGlite (it keeps the current user), so the engine sets it by name.
 */
export const SUPERUSER = 'postgres';

/** Switches to the superuser for engine-internal statements. */
export const SUPERUSER_SQL = `SET SESSION AUTHORIZATION ${SUPERUSER};`;

export function setAuthorizationSql(user: string): string {
  return `SET SESSION AUTHORIZATION ${quoteIdent(user)};`;
}

/** Replaces the rows behind pg_stat_activity with the gateway's sessions (bootstrap.ts reads them). */
export function activitySql(activities: ReadonlyMap<number, SessionActivity>): string {
  const rows = [...activities].map(([pid, a]) => ({
    pid,
    usename: a.user,
    datname: a.database,
    application_name: a.applicationName,
    client_addr: a.clientAddr,
    client_port: a.clientPort,
    backend_start: a.backendStart.toISOString(),
    xact_start: a.xactStart?.toISOString(),
    query_start: a.queryStart?.toISOString(),
    state_change: a.stateChange?.toISOString(),
    state: a.state,
    query: a.query,
    [QUERY_ID_COLUMN]: a.backendQueryId,
  }));
  return writeFileSql(ACTIVITY_FILE, JSON.stringify(rows));
}
