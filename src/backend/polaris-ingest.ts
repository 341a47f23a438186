/**
 * Writes on Polaris (docs/writes.md, "Polaris"): the ingestion contract (src/schema/ingest.ts) on a
 * project's Files and Jobs APIs, and empty tables on its Tables API. A batch of rows is uploaded
 * as one newline-delimited JSON file, then ingested by one `batch` job that appends it to the
 * table; the file is deleted once the job has ended.
 * https://docs.imply.io/polaris/api-ingest-files/ , https://docs.imply.io/polaris/api-create-table/
 */
import { randomUUID } from 'node:crypto';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { BackendCredential } from '../schema/druid.js';
import type { IngestRequest, Ingestion, JobState, JobStatus, TableApi } from '../schema/ingest.js';
import { columnOfDeclared } from '../schema/polaris-types.js';
import type { ColumnInfo } from '../schema/snapshot.js';
import { apiMessage, type PolarisApi } from './polaris-api.js';
import { DATA_TYPE, ingestMappings } from './polaris-mappings.js';
import { createPolarisStream } from './polaris-stream.js';

type Json = Record<string, unknown>;

const HTTP_NOT_FOUND = 404;
const HTTP_CONFLICT = 409;


/** Job execution states: pending and running are under way; failed and canceled both ingested nothing. */
const STATE: Readonly<Record<string, JobState>> = { completed: 'SUCCESS', failed: 'FAILED', canceled: 'FAILED' };

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}


/** A Polaris job (JobResponse / JobSummaryResponse) as a JobStatus. */
export function polarisJobStatus(job: Json): JobStatus {
  const execution = text(job.executionStatus) ?? 'pending';
  const state = STATE[execution] ?? 'RUNNING';
  const health = (job.health ?? {}) as Json;
  const target = (job.target ?? {}) as Json;
  const created = text(job.createdTimestamp);
  const completed = text(job.completedTimestamp);
  const message = text(health.message) ?? text(health.code) ?? (execution === 'canceled' ? 'the job was canceled' : null);
  return {
    id: text(job.id) ?? '',
    dataSource: text(target.tableName),
    type: text(job.type),
    state,
    status: execution,
    health: text(health.status),
    errorMsg: state === 'FAILED' ? (message ?? `the job ended ${execution}`) : null,
    createdTime: created,
    durationMs: state !== 'RUNNING' && created !== null && completed !== null ? Math.max(0, Date.parse(completed) - Date.parse(created)) : null,
  };
}

/** The batch job request for one uploaded NDJSON file. */
export function batchJobRequest(request: Pick<IngestRequest, 'dataSource' | 'columns'>, fileName: string): Json {
  const { inputSchema, mappings } = ingestMappings(request.columns);
  return {
    type: 'batch',
    target: { type: 'table', tableName: request.dataSource },
    createTableIfNotExists: true,
    ingestionMode: 'append',
    // Rows were checked with PostgreSQL's rules before upload: a row Polaris cannot parse fails the job.
    maxParseExceptions: 0,
    source: {
      type: 'uploaded',
      fileList: [fileName],
      formatSettings: { format: 'nd-json' },
      inputSchema,
    },
    mappings,
  };
}

function tableApi(api: PolarisApi): TableApi {
  return {
    async create(table, credential) {
      const body = {
        name: table.name,
        type: table.type,
        // Required by the document's TablePayload (TableVersion, default 0): a new table is version 0.
        version: 0,
        schemaMode: table.schemaMode,
        partitioningGranularity: table.partitioning,
        ...(table.clusteringColumns.length > 0 ? { clusteringColumns: table.clusteringColumns } : {}),
        schema: table.columns.map((c) => ({ name: c.name, dataType: DATA_TYPE[c.type], ...(table.type === 'aggregate' ? { type: 'dimension' } : {}) })),
      };
      const answer = await api.send('POST', '/tables', credential, { json: body });
      if (answer.status === HTTP_CONFLICT) return false;
      if (answer.status >= 200 && answer.status < 300) return true;
      throw new PgError(SqlState.InternalError, `Polaris refused to create table "${table.name}" (HTTP ${answer.status}): ${apiMessage(answer.text)}`);
    },
    async describe(name, credential) {
      const answer = await api.send('GET', `/tables/${encodeURIComponent(name)}`, credential);
      if (answer.status === HTTP_NOT_FOUND) return undefined;
      if (answer.status < 200 || answer.status >= 300) throw new PgError(SqlState.InternalError, `Polaris GET /tables/${name} failed with HTTP ${answer.status}`);
      const schema = Array.isArray((answer.body as Json | undefined)?.queryableSchema) ? ((answer.body as Json).queryableSchema as Json[]) : [];
      const columns: ColumnInfo[] = schema.map((c, i) => columnOfDeclared({ name: text(c.name) ?? '', dataType: text(c.dataType) ?? '' }, i + 1));
      return { name, columns };
    },
  };
}

export function createPolarisIngestion(api: PolarisApi): Ingestion {
  /** The uploaded file of each job, deleted once the job has ended. */
  const uploads = new Map<string, string>();
  const forget = async (id: string, credential: BackendCredential): Promise<void> => {
    const file = uploads.get(id);
    if (file === undefined) return;
    uploads.delete(id);
    await api.send('DELETE', `/files/${encodeURIComponent(file)}`, credential).catch(() => undefined);
  };
  return {
    tables: tableApi(api),
    stream: createPolarisStream(api),
    async submit(request) {
      const fileName = `polaris-pg-${randomUUID()}.json`;
      await api.call('POST', '/files', request.credential, { upload: { name: fileName, input: request.input } });
      let job: Json | undefined;
      try {
        job = (await api.call('POST', '/jobs', request.credential, { json: batchJobRequest(request, fileName) })) as Json | undefined;
      } catch (err) {
        await api.send('DELETE', `/files/${encodeURIComponent(fileName)}`, request.credential).catch(() => undefined);
        throw err;
      }
      const id = text(job?.id);
      if (id === null) throw new PgError(SqlState.InternalError, 'Polaris accepted the ingestion job without returning its ID');
      uploads.set(id, fileName);
      return id;
    },
    async status(id, credential) {
      const status = polarisJobStatus((await api.call('GET', `/jobs/${encodeURIComponent(id)}`, credential)) as Json);
      if (status.state !== 'RUNNING') await forget(id, credential);
      return status;
    },
    async jobs(credential) {
      const answer = (await api.call('GET', '/jobs', credential)) as Json | undefined;
      const values = Array.isArray(answer?.values) ? (answer.values as unknown[]) : [];
      return values.filter((j): j is Json => j !== null && typeof j === 'object').map(polarisJobStatus);
    },
  };
}
