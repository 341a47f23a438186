/**
 * One-time setup of the shared PGlite instance: internal functions and tables, and overrides of
 * the pg_catalog functions and views whose answers must describe the gateway rather than PGlite. Runs as the
 * bootstrap superuser; every statement is idempotent (a persistent data directory reruns it).
 *
 * Replaced built-in functions take effect only where the planner inlines the SQL body (calls in
 * queries); PostgreSQL's C code calling them by OID still reaches the built-in. Hence the bodies
 * are single non-strict SELECTs. pg_stat_activity reads the gateway's sessions through a SECURITY
 * DEFINER function (the engine's state is in files, engine-files.ts).
 * PGlite's session user is its bootstrap superuser, so a client could switch to it with
 * session_authorization or role: set_config() refuses those, and settings a plain user may not
 * change (pg_settings.context other than 'user', unless the session user is the engine's
 * superuser). Its built-in pg_proc row is replaced by a new
 * one, because fmgr runs a built-in OID's C function wherever the call is not inlined (e.g.
 * `SELECT * FROM set_config(...)`); the C function is reachable only through a SECURITY DEFINER
 * check (SET SESSION AUTHORIZATION / SET ROLE statements must not be routed here either).
 */

import { connectionFunctionsSql } from './connection-functions.js';
import { ACTIVITY_FILE, MIRRORS_FILE, readFileJson } from './engine-files.js';

/**
 * The engine's own functions live in pg_catalog with a polaris_ prefix, so that pg_namespace holds
 * exactly PostgreSQL's schemas (every tool's schema list, pgjdbc getSchemas,
 * information_schema.schemata) and user-object listings, which all exclude pg_catalog, never show
 * them. Its state is in files, not tables (engine-files.ts): pg_class, pg_attribute, pg_type,
 * pg_depend and pg_constraint hold no relation PostgreSQL does not have.
 */
const F = 'pg_catalog.polaris_';
/** The tables earlier versions kept the engine's state in; a persistent data directory may hold them. */
const OLD_ACTIVITY_TABLE = 'pg_catalog.polaris_activity';
const OLD_MIRRORS_TABLE = 'pg_catalog.polaris_mirrors';
/**
 * SQLSTATE of the notice by which pg_cancel_backend / pg_terminate_backend hand a request to the
 * gateway (detail: "<pid> <cancel|terminate>"); the gateway takes such notices out of the reply.
 */
export const SIGNAL_NOTICE_CODE = 'PXSIG';
/**
 * SQLSTATE of the notice set_config() raises whenever it is called, however the call was reached
 * (a U&"..." name, a temp table's DEFAULT, a subquery): the engine's settings may no longer be the
 * ones the gateway applied. The gateway takes such notices out of the reply (session-switch.ts).
 */
export const SETTINGS_NOTICE_CODE = 'PXSET';

/** pg_proc OID of the built-in set_config(text, text, boolean) (pg_proc.dat). */
const BUILTIN_SET_CONFIG = 2078;

/** set_config() that skips a value PostgreSQL rejects (used to replay client settings). */
export const TRY_SET_FUNCTION = `${F}try_set`;
/** set_config() without the checks of pg_catalog.set_config(); the engine's superuser only. */
export const SET_CONFIG_UNCHECKED = `${F}set_config_unchecked`;

/** Placeholder GUCs (https://www.postgresql.org/docs/current/runtime-config-custom.html) set per request. */
export const Guc = {
  pid: 'polaris.pid',
} as const;


/** The OUT columns of pg_catalog.pg_show_all_settings() in PostgreSQL 18. */
const SETTINGS_COLUMNS =
  'OUT name text, OUT setting text, OUT unit text, OUT category text, OUT short_desc text, OUT extra_desc text, ' +
  'OUT context text, OUT vartype text, OUT source text, OUT min_val text, OUT max_val text, OUT enumvals text[], ' +
  'OUT boot_val text, OUT reset_val text, OUT sourcefile text, OUT sourceline integer, OUT pending_restart boolean';

/**
 * The column the gateway adds to pg_stat_activity, after PostgreSQL's: the ID of the backend query the
 * active statement runs (Druid's sqlQueryId, Polaris' query or statement ID; docs/catalog.md). Not
 * PostgreSQL's query_id, a bigint hash of the statement. A view keeps its columns in order, so it is
 * appended (at a position past PostgreSQL's columns) and kept when the view is rebuilt.
 */
export const QUERY_ID_COLUMN = 'polaris_query_id';
const QUERY_ID_ATTNUM = 10_000;

/** The columns of the activity file (session-state.ts writes it), named as pg_stat_activity's. */
const ACTIVITY_COLUMNS = `pid integer, usename text, datname text, application_name text, client_addr inet,
  client_port integer, backend_start timestamptz, xact_start timestamptz, query_start timestamptz,
  state_change timestamptz, state text, query text, ${QUERY_ID_COLUMN} text`;

/**
 * The gateway's sessions, read from the activity file by the engine's superuser. A client may call
 * it directly, so it hides what PostgreSQL hides from the session's role (session_user: a SECURITY
 * DEFINER function runs as its owner, and clients cannot change session_user); the view then applies
 * the same rule to current_user (ACTIVITY_VISIBLE), as PostgreSQL does after SET ROLE.
 */
const SESSIONS_FUNCTION = `${F}sessions`;
const SESSIONS_SQL = `CREATE OR REPLACE FUNCTION ${SESSIONS_FUNCTION}() RETURNS TABLE (${ACTIVITY_COLUMNS})
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $polaris$
  SELECT s.pid, s.usename, s.datname, s.application_name,
    CASE WHEN v.ok THEN s.client_addr END, CASE WHEN v.ok THEN s.client_port END, CASE WHEN v.ok THEN s.backend_start END,
    CASE WHEN v.ok THEN s.xact_start END, CASE WHEN v.ok THEN s.query_start END, CASE WHEN v.ok THEN s.state_change END,
    CASE WHEN v.ok THEN s.state END, CASE WHEN v.ok THEN s.query ELSE '<insufficient privilege>' END,
    CASE WHEN v.ok THEN s.polaris_query_id END
  FROM pg_catalog.json_to_recordset(${readFileJson(ACTIVITY_FILE)}) AS s (${ACTIVITY_COLUMNS})
  CROSS JOIN LATERAL (SELECT pg_catalog.pg_has_role(session_user, 'pg_read_all_stats', 'USAGE')
    OR COALESCE((SELECT pg_catalog.pg_has_role(session_user, r.oid, 'USAGE') FROM pg_catalog.pg_roles r WHERE r.rolname = s.usename), false) AS ok) v
$polaris$;`;

/**
 * Moves the mirror registry of an earlier version's table into its file and drops the engine's old
 * tables (the activity table once pg_stat_activity no longer reads it).
 */
const MIGRATE_MIRRORS_SQL = `DO $polaris$ BEGIN
  IF pg_catalog.to_regclass('${OLD_MIRRORS_TABLE}') IS NOT NULL THEN
    EXECUTE pg_catalog.format('COPY (SELECT pg_catalog.encode(pg_catalog.convert_to(COALESCE((SELECT pg_catalog.json_agg(m)::pg_catalog.text FROM ${OLD_MIRRORS_TABLE} m), %L), %L), %L)) TO %L',
      '[]', 'UTF8', 'hex', pg_catalog.current_setting('data_directory') || '/${MIRRORS_FILE}');
    DROP TABLE ${OLD_MIRRORS_TABLE};
  END IF;
END $polaris$;`;

/** pg_stat_activity columns filled from the gateway's sessions; the others are NULL. */
const ACTIVITY_VALUES = `CASE a.attname
  WHEN 'datid' THEN '(SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = s.datname)'
  WHEN 'usesysid' THEN '(SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = s.usename)'
  WHEN 'backend_type' THEN '''client backend'''
  ELSE CASE WHEN a.attname IN ('datname', 'pid', 'usename', 'application_name', 'client_addr', 'client_port',
    'backend_start', 'xact_start', 'query_start', 'state_change', 'state', 'query', '${QUERY_ID_COLUMN}') THEN 's.' || a.attname ELSE 'NULL' END
  END`;

/**
 * Whether the current user may see a session's details: it has the privileges of the session's
 * role or of pg_read_all_stats (PostgreSQL's HAS_PGSTAT_PERMISSIONS, pgstatfuncs.c). Written with
 * doubled quotes: it is spliced into the view text built below.
 */
const ACTIVITY_VISIBLE = `pg_catalog.pg_has_role(''pg_read_all_stats'', ''USAGE'')
  OR COALESCE((SELECT pg_catalog.pg_has_role(r.oid, ''USAGE'') FROM pg_catalog.pg_roles r WHERE r.rolname = s.usename), false)`;

/**
 * pg_stat_activity columns as PostgreSQL's pg_stat_get_activity() gives them for another role's
 * session: query reads '<insufficient privilege>'; state, the times, the client address and port and
 * backend_type are NULL; datid, datname, pid, usesysid, usename and application_name stay.
 * https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW
 */
const ACTIVITY_EXPRESSIONS = `CASE
  WHEN a.attname = 'query' THEN 'CASE WHEN ${ACTIVITY_VISIBLE} THEN s.query ELSE ''<insufficient privilege>'' END'
  WHEN a.attname IN ('state', 'xact_start', 'query_start', 'backend_start', 'state_change', 'client_addr', 'client_port', 'backend_type', '${QUERY_ID_COLUMN}')
    THEN 'CASE WHEN ${ACTIVITY_VISIBLE} THEN ' || (${ACTIVITY_VALUES}) || ' END'
  ELSE ${ACTIVITY_VALUES}
  END`;

/**
 * PGlite's initdb records LC_COLLATE "C" next to LC_CTYPE "C.UTF-8". Its libc (musl) collates
 * C.UTF-8 bytewise, exactly like C, so the databases report the C.UTF-8 locale a PostgreSQL on a
 * Debian/Ubuntu host initialized with C.UTF-8 reports (psql's \l, pg_database.datcollate); a data
 * directory reopens under it. https://www.postgresql.org/docs/current/locale.html
 */
const LOCALE_SQL = "UPDATE pg_catalog.pg_database SET datcollate = datctype WHERE datcollate = 'C' AND datctype = 'C.UTF-8';";

export const BOOTSTRAP_SQL = `
SELECT pg_catalog.set_config('allow_system_table_mods', 'on', true);
${LOCALE_SQL}
CREATE OR REPLACE FUNCTION ${F}show_config(text) RETURNS text LANGUAGE internal STABLE STRICT AS 'show_config_by_name';
CREATE OR REPLACE FUNCTION ${F}show_all_settings(${SETTINGS_COLUMNS}) RETURNS SETOF record LANGUAGE internal STABLE AS 'show_all_settings';
CREATE OR REPLACE FUNCTION ${F}set_config_unchecked(text, text, boolean) RETURNS text LANGUAGE internal VOLATILE AS 'set_config_by_name';
CREATE OR REPLACE FUNCTION ${F}try_set(name text, value text) RETURNS void LANGUAGE plpgsql AS
  $$ BEGIN PERFORM ${F}set_config_unchecked(name, value, false); EXCEPTION WHEN OTHERS THEN NULL; END $$;
CREATE OR REPLACE FUNCTION ${F}refuse_setting(text) RETURNS text LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'permission denied to set parameter "%"', $1 USING ERRCODE = '42501'; END $$;
CREATE OR REPLACE FUNCTION ${F}set_config(text, text, boolean) RETURNS text LANGUAGE sql VOLATILE SECURITY DEFINER AS
  $$ SELECT CASE WHEN pg_catalog.lower($1) IN ('session_authorization', 'role')
       OR ((SELECT s.context FROM ${F}show_all_settings() s WHERE s.name = pg_catalog.lower($1)) <> 'user'
         AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user))
     THEN ${F}refuse_setting($1) ELSE ${F}set_config_unchecked($1, $2, $3) END $$;
REVOKE EXECUTE ON FUNCTION ${F}set_config_unchecked(text, text, boolean), ${F}try_set(text, text) FROM PUBLIC;
DELETE FROM pg_catalog.pg_description
  WHERE objoid = ${BUILTIN_SET_CONFIG} AND classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass;
DELETE FROM pg_catalog.pg_proc WHERE oid = ${BUILTIN_SET_CONFIG};
-- The notice is raised by a function of its own: a SET clause on set_config() itself would undo
-- its SET LOCAL changes at the function's exit.
CREATE OR REPLACE FUNCTION ${F}settings_changed() RETURNS void LANGUAGE plpgsql VOLATILE SET client_min_messages = notice AS
  $$ BEGIN RAISE NOTICE 'polaris settings' USING ERRCODE = '${SETTINGS_NOTICE_CODE}'; END $$;
CREATE OR REPLACE FUNCTION pg_catalog.set_config(text, text, boolean) RETURNS text LANGUAGE plpgsql VOLATILE AS
  $$ BEGIN PERFORM ${F}settings_changed(); RETURN ${F}set_config($1, $2, $3); END $$;
COMMENT ON FUNCTION pg_catalog.set_config(text, text, boolean) IS 'set parameter and return new value';
CREATE OR REPLACE FUNCTION pg_catalog.pg_backend_pid() RETURNS integer LANGUAGE sql STABLE AS
  $$ SELECT ${F}show_config('${Guc.pid}')::pg_catalog.int4 $$;
CREATE OR REPLACE FUNCTION pg_catalog.pg_show_all_settings(${SETTINGS_COLUMNS}) RETURNS SETOF record LANGUAGE sql STABLE AS
  $$ SELECT s.name, s.setting, s.unit, s.category, s.short_desc, s.extra_desc, s.context, s.vartype,
       s.source, s.min_val, s.max_val, s.enumvals, s.boot_val, s.reset_val, s.sourcefile,
       s.sourceline, s.pending_restart
     FROM ${F}show_all_settings() s WHERE s.name NOT LIKE 'polaris.%' $$;
${SESSIONS_SQL}
${MIGRATE_MIRRORS_SQL}
CREATE OR REPLACE FUNCTION ${F}signal(target integer, action text) RETURNS boolean LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER SET search_path = pg_catalog SET client_min_messages = notice AS $polaris$
DECLARE owner text;
BEGIN
  SELECT s.usename INTO owner FROM ${SESSIONS_FUNCTION}() s WHERE s.pid = target;
  IF NOT FOUND THEN
    RAISE WARNING 'PID % is not a PostgreSQL backend process', target;
    RETURN false;
  END IF;
  IF owner IS DISTINCT FROM session_user AND NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user) THEN
    RAISE EXCEPTION 'permission denied to % backend', CASE action WHEN 'cancel' THEN 'cancel query of' ELSE 'terminate' END
      USING ERRCODE = '42501',
      DETAIL = 'Only roles with the privileges of the role whose process is being signaled may signal it.';
  END IF;
  RAISE NOTICE 'polaris signal' USING ERRCODE = '${SIGNAL_NOTICE_CODE}', DETAIL = target || ' ' || action;
  RETURN true;
END $polaris$;
DELETE FROM pg_catalog.pg_description WHERE classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND objoid IN
  (SELECT p.oid FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang
    WHERE l.lanname = 'internal' AND p.proname IN ('pg_cancel_backend', 'pg_terminate_backend'));
-- Built-in functions are called by OID straight into C (fmgr_isbuiltin), so the rows are replaced, not updated.
DELETE FROM pg_catalog.pg_proc p USING pg_catalog.pg_language l
  WHERE l.oid = p.prolang AND l.lanname = 'internal' AND p.proname IN ('pg_cancel_backend', 'pg_terminate_backend');
CREATE OR REPLACE FUNCTION pg_catalog.pg_cancel_backend(integer) RETURNS boolean LANGUAGE sql VOLATILE STRICT AS
  $$ SELECT ${F}signal($1, 'cancel') $$;
CREATE OR REPLACE FUNCTION pg_catalog.pg_terminate_backend(pid integer, timeout bigint DEFAULT 0) RETURNS boolean
  LANGUAGE sql VOLATILE STRICT AS $$ SELECT ${F}signal($1, 'terminate') $$;
COMMENT ON FUNCTION pg_catalog.pg_cancel_backend(integer) IS 'cancel a server process'' current query';
COMMENT ON FUNCTION pg_catalog.pg_terminate_backend(integer, bigint) IS 'terminate a server process';
${connectionFunctionsSql(F)}
DO $polaris$ DECLARE cols text; BEGIN
  SELECT pg_catalog.string_agg(${ACTIVITY_EXPRESSIONS} || '::' || pg_catalog.format_type(a.atttypid, a.atttypmod)
      || CASE WHEN a.attcollation <> 0 THEN ' COLLATE ' || a.attcollation::pg_catalog.regcollation::pg_catalog.text ELSE '' END
      || ' AS ' || pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
    INTO cols FROM (SELECT a.attname, a.atttypid, a.atttypmod, a.attcollation, a.attnum FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = 'pg_catalog.pg_stat_activity'::pg_catalog.regclass AND a.attnum > 0 AND NOT a.attisdropped
      UNION ALL SELECT '${QUERY_ID_COLUMN}', 'pg_catalog.text'::pg_catalog.regtype, -1, 'pg_catalog.default'::pg_catalog.regcollation, ${QUERY_ID_ATTNUM}
      WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'pg_catalog.pg_stat_activity'::pg_catalog.regclass
        AND a.attname = '${QUERY_ID_COLUMN}' AND NOT a.attisdropped)) a;
  EXECUTE 'CREATE OR REPLACE VIEW pg_catalog.pg_stat_activity AS SELECT ' || cols || ' FROM ${SESSIONS_FUNCTION}() s';
END $polaris$;
DROP TABLE IF EXISTS ${OLD_ACTIVITY_TABLE};
`;
