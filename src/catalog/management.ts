/**
 * The management views (docs/writes.md, "Watching ingestion"): schema `polaris` in the catalog
 * engine, with `polaris.jobs` listing the backend's ingestion jobs. It exists only with writes on,
 * so that a read-only gateway's pg_namespace holds exactly PostgreSQL's schemas. The view reads a
 * table that the gateway fills, at each query that names the schema, with the jobs the backend
 * shows the session's credential (management-refresh in src/session/routes/catalog.ts); each row
 * carries the catalog role of the session that fetched it and the view shows a role only its own,
 * so sessions of other credentials (passthrough tenants) never see them.
 */
import { quoteIdent, quoteLiteral } from './mirror.js';

export const MANAGEMENT_SCHEMA = 'polaris';
/** The rows behind polaris.jobs; in pg_catalog with the engine's other tables (bootstrap.ts). */
const JOBS_TABLE = 'pg_catalog.polaris_jobs';

/** One row of polaris.jobs. */
export interface ManagementJob {
  id: string;
  type: string | null;
  tableName: string | null;
  /** The backend's own word: Polaris' executionStatus, Druid's statusCode. */
  status: string;
  /** Polaris' health.status; null on Druid. */
  health: string | null;
  /** The job's failure message. */
  message: string | null;
  /** ISO 8601 creation time. */
  createdAt: string | null;
  durationMs: number | null;
}

/** polaris.jobs' columns, in order, with their types. */
const JOB_COLUMNS = [
  ['id', 'text'],
  ['type', 'text'],
  ['table_name', 'text'],
  ['status', 'text'],
  ['health', 'text'],
  ['message', 'text'],
  ['created_at', 'timestamptz'],
  ['duration_ms', 'int8'],
] as const;

const columnList = JOB_COLUMNS.map(([name]) => quoteIdent(name)).join(', ');

/** Bootstrap SQL: creates the schema and its views (writes on), or removes them (writes off). */
export function managementSql(enabled: boolean): string {
  if (!enabled) return `DROP SCHEMA IF EXISTS ${MANAGEMENT_SCHEMA} CASCADE;\nDROP TABLE IF EXISTS ${JOBS_TABLE};`;
  const columns = JOB_COLUMNS.map(([name, type]) => `${quoteIdent(name)} pg_catalog.${type}`).join(', ');
  return [
    `CREATE TABLE IF NOT EXISTS ${JOBS_TABLE} (reader text, ${columns});`,
    // No array type: type lists (pgjdbc getTypeInfo) must not show the engine's tables (bootstrap.ts).
    `DO $polaris$ DECLARE a oid; BEGIN
  SELECT t.typarray INTO a FROM pg_catalog.pg_type t WHERE t.typrelid = '${JOBS_TABLE}'::pg_catalog.regclass;
  IF a IS NOT NULL AND a <> 0 THEN
    DELETE FROM pg_catalog.pg_depend WHERE classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND objid = a;
    DELETE FROM pg_catalog.pg_type WHERE oid = a;
    UPDATE pg_catalog.pg_type SET typarray = 0 WHERE typrelid = '${JOBS_TABLE}'::pg_catalog.regclass;
  END IF;
END $polaris$;`,
    `CREATE SCHEMA IF NOT EXISTS ${MANAGEMENT_SCHEMA};`,
    `GRANT USAGE ON SCHEMA ${MANAGEMENT_SCHEMA} TO PUBLIC;`,
    // current_user inside a view is the role running the query (the view's owner only lends its rights to read the table).
    `CREATE OR REPLACE VIEW ${MANAGEMENT_SCHEMA}.jobs AS SELECT ${columnList} FROM ${JOBS_TABLE} WHERE reader = CURRENT_USER;`,
    `COMMENT ON VIEW ${MANAGEMENT_SCHEMA}.jobs IS 'ingestion jobs of the backend, read at query time (docs/writes.md)';`,
    `GRANT SELECT ON ${MANAGEMENT_SCHEMA}.jobs TO PUBLIC;`,
  ].join('\n');
}

function literal(value: string | number | null): string {
  if (value === null) return 'NULL';
  return typeof value === 'number' ? String(Math.trunc(value)) : quoteLiteral(value);
}

/** Replaces the jobs a role sees with `jobs` (run as the engine's superuser, in one implicit transaction). */
export function publishJobsSql(role: string, jobs: readonly ManagementJob[]): string {
  const remove = `DELETE FROM ${JOBS_TABLE} WHERE reader = ${quoteLiteral(role)};`;
  if (jobs.length === 0) return remove;
  const rows = jobs.map((j) =>
    `(${[role, j.id, j.type, j.tableName, j.status, j.health, j.message, j.createdAt, j.durationMs].map(literal).join(', ')})`,
  );
  return `${remove}\nINSERT INTO ${JOBS_TABLE} (reader, ${columnList}) VALUES ${rows.join(', ')};`;
}
