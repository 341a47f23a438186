/**
 * The SQL that puts the shared PGlite backend into one client's state before that client's
 * request: its GUCs, the gateway's version placeholders, its pid, its role, and the rows behind
 * pg_stat_activity.
 */
import { ACTIVITY_TABLE, Guc, serverVersionNum, SET_CONFIG_UNCHECKED, versionString, TRY_SET_FUNCTION } from './bootstrap.js';
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

/** Identifies the state settingsSql() produces; equal keys need no re-apply. */
export function settingsKey(info: CatalogSessionInfo): string {
  return JSON.stringify([info.processId, info.serverVersion, appliedEntries(info)]);
}

/**
 * RESET ALL, then the client's GUCs and the placeholders read by version(), current_setting() and
 * pg_backend_pid(). With `tolerant`, a value PGlite rejects leaves the default (try_set swallows
 * the error, at the cost of a subtransaction per setting).
 */
export function settingsSql(info: CatalogSessionInfo, tolerant = false): string {
  // A value equal to the default is not set, so pg_settings.source stays 'default' as in PostgreSQL.
  const setter = (name: string, value: string): string => {
    const set = tolerant ? `${TRY_SET_FUNCTION}(${quoteLiteral(name)}, ${quoteLiteral(value)})` : `${SET_CONFIG_UNCHECKED}(${quoteLiteral(name)}, ${quoteLiteral(value)}, false)`;
    return `CASE WHEN pg_catalog.current_setting(${quoteLiteral(name)}) IS DISTINCT FROM ${quoteLiteral(value)} THEN ${set} END`;
  };
  const calls = appliedEntries(info).map(([name, value]) => setter(name, value));
  const placeholders: [string, string][] = [
    [Guc.version, versionString(info.serverVersion)],
    [Guc.serverVersion, info.serverVersion],
    [Guc.serverVersionNum, serverVersionNum(info.serverVersion)],
    [Guc.pid, String(info.processId)],
  ];
  for (const [name, value] of placeholders) calls.push(`${SET_CONFIG_UNCHECKED}(${quoteLiteral(name)}, ${quoteLiteral(value)}, false)`);
  return `RESET ALL;\nSELECT ${calls.join(', ')};`;
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

function timestamp(value: Date | undefined): string {
  return value === undefined ? 'NULL' : `${quoteLiteral(value.toISOString())}::pg_catalog.timestamptz`;
}

/** Replaces the rows behind pg_stat_activity with the gateway's sessions. */
export function activitySql(activities: ReadonlyMap<number, SessionActivity>): string {
  const table = ACTIVITY_TABLE;
  const rows = [...activities].map(([pid, a]) =>
    [
      String(pid),
      quoteLiteral(a.user),
      quoteLiteral(a.database),
      quoteLiteral(a.applicationName),
      a.clientAddr === undefined ? 'NULL' : `${quoteLiteral(a.clientAddr)}::pg_catalog.inet`,
      a.clientPort === undefined ? 'NULL' : String(a.clientPort),
      timestamp(a.backendStart),
      timestamp(a.xactStart),
      timestamp(a.queryStart),
      timestamp(a.stateChange),
      quoteLiteral(a.state),
      quoteLiteral(a.query),
    ].join(', '),
  );
  const insert = rows.length === 0 ? '' : `\nINSERT INTO ${table} VALUES (${rows.join('), (')});`;
  return `DELETE FROM ${table};${insert}`;
}
