/**
 * One-time setup of the shared PGlite instance: an internal schema and overrides of the pg_catalog
 * functions and views whose answers must describe the gateway rather than PGlite. Runs as the
 * bootstrap superuser; every statement is idempotent (a persistent data directory reruns it).
 *
 * Replaced built-in functions take effect only where the planner inlines the SQL body (calls in
 * queries); PostgreSQL's C code calling them by OID still reaches the built-in. Hence the bodies
 * are single non-strict SELECTs. set_config() refuses session_authorization and role, which would
 * let a client switch to the bootstrap superuser (SET SESSION AUTHORIZATION / SET ROLE statements
 * must not be routed here for the same reason).
 */

/** Internal schema; the pg_ prefix hides it from psql's \dn and \dt. */
export const INTERNAL_SCHEMA = 'pg_polaris';

/** Placeholder GUCs (https://www.postgresql.org/docs/current/runtime-config-custom.html) set per request. */
export const Guc = {
  version: 'polaris.version',
  serverVersion: 'polaris.server_version',
  serverVersionNum: 'polaris.server_version_num',
  pid: 'polaris.pid',
} as const;

const S = INTERNAL_SCHEMA;

/** The OUT columns of pg_catalog.pg_show_all_settings() in PostgreSQL 18. */
const SETTINGS_COLUMNS =
  'OUT name text, OUT setting text, OUT unit text, OUT category text, OUT short_desc text, OUT extra_desc text, ' +
  'OUT context text, OUT vartype text, OUT source text, OUT min_val text, OUT max_val text, OUT enumvals text[], ' +
  'OUT boot_val text, OUT reset_val text, OUT sourcefile text, OUT sourceline integer, OUT pending_restart boolean';

/** server_version and server_version_num read the gateway's values. */
function versioned(column: string): string {
  return `CASE s.name WHEN 'server_version' THEN ${S}.show_config('${Guc.serverVersion}') WHEN 'server_version_num' THEN ${S}.show_config('${Guc.serverVersionNum}') ELSE s.${column} END`;
}

/** Maps a setting name to the placeholder that holds the gateway's value, if any. */
const SETTING_NAME = `CASE pg_catalog.lower($1) WHEN 'server_version' THEN '${Guc.serverVersion}' WHEN 'server_version_num' THEN '${Guc.serverVersionNum}' ELSE $1 END`;

/** pg_stat_activity columns filled from the gateway's sessions; the others are NULL. */
const ACTIVITY_EXPRESSIONS = `CASE a.attname
  WHEN 'datid' THEN '(SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = s.datname)'
  WHEN 'usesysid' THEN '(SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = s.usename)'
  WHEN 'backend_type' THEN '''client backend'''
  ELSE CASE WHEN a.attname IN ('datname', 'pid', 'usename', 'application_name', 'client_addr', 'client_port',
    'backend_start', 'xact_start', 'query_start', 'state_change', 'state', 'query') THEN 's.' || a.attname ELSE 'NULL' END
  END`;

export const BOOTSTRAP_SQL = `
SELECT pg_catalog.set_config('allow_system_table_mods', 'on', true);
CREATE SCHEMA IF NOT EXISTS ${S};
GRANT USAGE ON SCHEMA ${S} TO PUBLIC;
CREATE OR REPLACE FUNCTION ${S}.show_config(text) RETURNS text LANGUAGE internal STABLE STRICT AS 'show_config_by_name';
CREATE OR REPLACE FUNCTION ${S}.show_config(text, boolean) RETURNS text LANGUAGE internal STABLE STRICT AS 'show_config_by_name_missing_ok';
CREATE OR REPLACE FUNCTION ${S}.show_all_settings(${SETTINGS_COLUMNS}) RETURNS SETOF record LANGUAGE internal STABLE AS 'show_all_settings';
CREATE OR REPLACE FUNCTION ${S}.try_set(name text, value text) RETURNS void LANGUAGE plpgsql AS
  $$ BEGIN PERFORM pg_catalog.set_config(name, value, false); EXCEPTION WHEN OTHERS THEN NULL; END $$;
CREATE OR REPLACE FUNCTION ${S}.set_config(text, text, boolean) RETURNS text LANGUAGE internal VOLATILE AS 'set_config_by_name';
CREATE OR REPLACE FUNCTION ${S}.refuse_setting(text) RETURNS text LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'permission denied to set parameter "%"', $1 USING ERRCODE = '42501'; END $$;
CREATE OR REPLACE FUNCTION pg_catalog.set_config(text, text, boolean) RETURNS text LANGUAGE sql VOLATILE AS
  $$ SELECT CASE WHEN pg_catalog.lower($1) IN ('session_authorization', 'role') THEN ${S}.refuse_setting($1)
     ELSE ${S}.set_config($1, $2, $3) END $$;
CREATE OR REPLACE FUNCTION pg_catalog.version() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT ${S}.show_config('${Guc.version}') $$;
CREATE OR REPLACE FUNCTION pg_catalog.current_setting(text) RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT ${S}.show_config(${SETTING_NAME}) $$;
CREATE OR REPLACE FUNCTION pg_catalog.current_setting(text, boolean) RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT ${S}.show_config(${SETTING_NAME}, $2) $$;
CREATE OR REPLACE FUNCTION pg_catalog.pg_backend_pid() RETURNS integer LANGUAGE sql STABLE AS
  $$ SELECT ${S}.show_config('${Guc.pid}')::pg_catalog.int4 $$;
CREATE OR REPLACE FUNCTION pg_catalog.pg_show_all_settings(${SETTINGS_COLUMNS}) RETURNS SETOF record LANGUAGE sql STABLE AS
  $$ SELECT s.name, ${versioned('setting')}, s.unit, s.category, s.short_desc, s.extra_desc, s.context, s.vartype,
       s.source, s.min_val, s.max_val, s.enumvals, ${versioned('boot_val')}, ${versioned('reset_val')}, s.sourcefile,
       s.sourceline, s.pending_restart
     FROM ${S}.show_all_settings() s WHERE s.name NOT LIKE 'polaris.%' $$;
CREATE TABLE IF NOT EXISTS ${S}.activity (pid integer PRIMARY KEY, usename text, datname text, application_name text,
  client_addr inet, client_port integer, backend_start timestamptz, xact_start timestamptz, query_start timestamptz,
  state_change timestamptz, state text, query text);
GRANT SELECT ON ${S}.activity TO PUBLIC;
CREATE TABLE IF NOT EXISTS ${S}.mirrors (database text PRIMARY KEY, parked text NOT NULL, digest text,
  active boolean NOT NULL DEFAULT false);
DO $polaris$ DECLARE cols text; BEGIN
  SELECT pg_catalog.string_agg(${ACTIVITY_EXPRESSIONS} || '::' || pg_catalog.format_type(a.atttypid, a.atttypmod)
      || CASE WHEN a.attcollation <> 0 THEN ' COLLATE ' || a.attcollation::pg_catalog.regcollation::pg_catalog.text ELSE '' END
      || ' AS ' || pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
    INTO cols FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = 'pg_catalog.pg_stat_activity'::pg_catalog.regclass AND a.attnum > 0 AND NOT a.attisdropped;
  EXECUTE 'CREATE OR REPLACE VIEW pg_catalog.pg_stat_activity AS SELECT ' || cols || ' FROM ${S}.activity s';
END $polaris$;
`;

const ARCH_NAMES: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64' };

/** version(): "PostgreSQL <serverVersion> on <arch>-pc-linux-gnu, 64-bit", the shape SQLAlchemy and others parse. */
export function versionString(serverVersion: string): string {
  return `PostgreSQL ${serverVersion} on ${ARCH_NAMES[process.arch] ?? process.arch}-pc-linux-gnu, 64-bit`;
}

/** server_version_num for a server_version such as "16.4 (polaris-pg 0.1.0)": 160004. */
export function serverVersionNum(serverVersion: string): string {
  const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(serverVersion);
  if (match === null) return '0';
  const [major, minor, patch] = [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
  // Since PostgreSQL 10 the number is major * 10000 + minor; before, major * 10000 + minor * 100 + patch.
  return String(major >= 10 ? major * 10000 + minor : major * 10000 + minor * 100 + patch);
}
