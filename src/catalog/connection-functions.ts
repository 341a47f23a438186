/**
 * Built-in functions whose answer belongs to the client's connection or must not hold the shared
 * engine: inet_client_addr(), inet_client_port(), inet_server_addr(), inet_server_port() and
 * pg_sleep(). Part of the engine's bootstrap (bootstrap.ts), run as its superuser.
 *
 * PGlite has no socket: its inet_client_addr() says 127.0.0.1 and its inet_server_addr() NULL
 * whatever the client's connection. The replacements read placeholders the session switch sets
 * per request ('' over a Unix socket, where PostgreSQL answers NULL).
 * https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-INFO-SESSION-TABLE
 *
 * pg_sleep() would hold the one engine every session's catalog statements run on: one call may
 * sleep up to MAX_CATALOG_SLEEP_MS, and only while the statement, that sleep included, stays within
 * MAX_CATALOG_SLEEP_STATEMENT_MS (a sleep in every row of a result); beyond either it fails with
 * 0A000 at once. The statement bound is wider than the call's so that a statement slowed by load
 * before its first sleep is not refused. pg_sleep_for() and pg_sleep_until() call pg_sleep()
 * (their bodies are re-created so that they bind the new function). A statement that is slow by
 * computing is bounded by --catalog-slice-ms while others wait and --catalog-timeout-ms otherwise
 * (time-slice.ts, docs/catalog.md).
 *
 * A built-in function is reached by OID straight into its C code wherever a call is not inlined
 * (fmgr_isbuiltin), so the built-in pg_proc rows are deleted and new ones created.
 */

/** Placeholder GUCs holding the client's connection (https://www.postgresql.org/docs/current/runtime-config-custom.html). */
export const ConnectionGuc = {
  clientAddr: 'polaris.client_addr',
  clientPort: 'polaris.client_port',
  serverAddr: 'polaris.server_addr',
  serverPort: 'polaris.server_port',
} as const;

/** The longest one pg_sleep() call of a catalog statement may sleep. */
export const MAX_CATALOG_SLEEP_MS = 100;
/** The longest a catalog statement may have run, its sleeps included, when a pg_sleep() call ends. */
export const MAX_CATALOG_SLEEP_STATEMENT_MS = 500;

/** pg_proc OIDs of the replaced built-ins (pg_proc.dat). */
const BUILTIN_OIDS = {
  inet_client_addr: 2196,
  inet_client_port: 2197,
  inet_server_addr: 2198,
  inet_server_port: 2199,
  pg_sleep: 2626,
} as const;

/** `F`: the prefix of the engine's own functions (bootstrap.ts). */
export function connectionFunctionsSql(F: string): string {
  const oids = Object.values(BUILTIN_OIDS).join(', ');
  const setting = (guc: string) => `NULLIF(${F}show_config('${guc}'), '')`;
  return `
DELETE FROM pg_catalog.pg_description WHERE classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND objoid IN (${oids});
DELETE FROM pg_catalog.pg_proc WHERE oid IN (${oids});
CREATE OR REPLACE FUNCTION pg_catalog.inet_client_addr() RETURNS inet LANGUAGE sql STABLE PARALLEL RESTRICTED AS
  $$ SELECT ${setting(ConnectionGuc.clientAddr)}::pg_catalog.inet $$;
CREATE OR REPLACE FUNCTION pg_catalog.inet_client_port() RETURNS integer LANGUAGE sql STABLE PARALLEL RESTRICTED AS
  $$ SELECT ${setting(ConnectionGuc.clientPort)}::pg_catalog.int4 $$;
CREATE OR REPLACE FUNCTION pg_catalog.inet_server_addr() RETURNS inet LANGUAGE sql STABLE PARALLEL RESTRICTED AS
  $$ SELECT ${setting(ConnectionGuc.serverAddr)}::pg_catalog.inet $$;
CREATE OR REPLACE FUNCTION pg_catalog.inet_server_port() RETURNS integer LANGUAGE sql STABLE PARALLEL RESTRICTED AS
  $$ SELECT ${setting(ConnectionGuc.serverPort)}::pg_catalog.int4 $$;
COMMENT ON FUNCTION pg_catalog.inet_client_addr() IS 'inet address of the client';
COMMENT ON FUNCTION pg_catalog.inet_client_port() IS 'client''s port number for this connection';
COMMENT ON FUNCTION pg_catalog.inet_server_addr() IS 'inet address of the server';
COMMENT ON FUNCTION pg_catalog.inet_server_port() IS 'server''s port number for this connection';
CREATE OR REPLACE FUNCTION ${F}sleep(double precision) RETURNS void LANGUAGE internal VOLATILE STRICT AS 'pg_sleep';
REVOKE EXECUTE ON FUNCTION ${F}sleep(double precision) FROM PUBLIC;
CREATE OR REPLACE FUNCTION pg_catalog.pg_sleep(double precision) RETURNS void LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE
  SECURITY DEFINER SET search_path = pg_catalog AS $polaris$
BEGIN
  IF $1 > ${MAX_CATALOG_SLEEP_MS / 1000} OR (pg_catalog.clock_timestamp() - pg_catalog.statement_timestamp())
      + pg_catalog.make_interval(secs => GREATEST($1, 0)) > pg_catalog.make_interval(secs => ${MAX_CATALOG_SLEEP_STATEMENT_MS / 1000}) THEN
    RAISE EXCEPTION 'pg_sleep() beyond ${MAX_CATALOG_SLEEP_MS} ms per call or ${MAX_CATALOG_SLEEP_STATEMENT_MS} ms per catalog statement is not supported'
      USING ERRCODE = '0A000',
      HINT = 'One catalog engine answers every session''s catalog statements; a sleeping statement would hold them all (docs/catalog.md).';
  END IF;
  PERFORM ${F}sleep($1);
END $polaris$;
COMMENT ON FUNCTION pg_catalog.pg_sleep(double precision) IS 'sleep for the specified time in seconds';
CREATE OR REPLACE FUNCTION pg_catalog.pg_sleep_for(interval) RETURNS void LANGUAGE sql PARALLEL SAFE STRICT COST 1
  RETURN pg_catalog.pg_sleep(((EXTRACT(epoch FROM (pg_catalog.clock_timestamp() + $1)) - EXTRACT(epoch FROM pg_catalog.clock_timestamp())))::double precision);
CREATE OR REPLACE FUNCTION pg_catalog.pg_sleep_until(timestamp with time zone) RETURNS void LANGUAGE sql PARALLEL SAFE STRICT COST 1
  RETURN pg_catalog.pg_sleep(((EXTRACT(epoch FROM $1) - EXTRACT(epoch FROM pg_catalog.clock_timestamp())))::double precision);
`;
}
