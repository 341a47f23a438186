import { MANAGEMENT_SCHEMA, type ManagementJob } from '../../catalog/management.js';
import type { JobStatus } from '../../schema/ingest.js';
import { referencedRelations } from '../../sql/classify.js';
import type { ParsedStatement } from '../../sql/types.js';
import type { SessionContext } from '../context.js';

/**
 * The management views are answered from the backend at query time (docs/writes.md, "Watching
 * ingestion"): before a catalog statement that names a relation of schema polaris runs, the jobs
 * the backend shows the session's credential replace the rows its role sees (src/catalog/management.ts).
 */

function managementJob(job: JobStatus): ManagementJob {
  return {
    id: job.id,
    type: job.type,
    tableName: job.dataSource,
    status: job.status,
    health: job.health,
    message: job.errorMsg,
    createdAt: job.createdTime,
    durationMs: job.durationMs,
  };
}

/** Whether the statement reads a relation of schema polaris (decided on the parsed tree). */
export function readsManagementViews(stmt: ParsedStatement): boolean {
  return referencedRelations(stmt.ast).some((r) => r.schema === MANAGEMENT_SCHEMA);
}

/** Fetches and publishes the backend's jobs when the statement reads the management views (writes on). */
export async function refreshManagementViews(ctx: SessionContext, stmt: ParsedStatement): Promise<void> {
  if (!readsManagementViews(stmt)) return;
  const jobs = await ctx.writes.jobs();
  if (jobs === null) return;
  await (await ctx.catalog()).publishJobs(jobs.map(managementJob));
}
