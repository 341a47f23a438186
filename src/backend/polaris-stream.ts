/**
 * COPY rows into a Polaris table's push-streaming connection (docs/writes.md, "Push streaming"):
 * the connection and its streaming job are created on first use; events go to
 * `POST /events/{connection}` in bodies within Polaris' per-request limit; a 429 (rate limit) is
 * retried after a backoff (polaris-api.ts). Only a 429 is retried: Polaris refused those events,
 * so a retry cannot duplicate them. https://docs.imply.io/polaris/api-stream/
 */
import { createHash } from 'node:crypto';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { BackendCredential } from '../schema/druid.js';
import type { IngestColumn, StreamApi } from '../schema/ingest.js';
import { apiMessage, MAX_RETRY_MS, type PolarisApi } from './polaris-api.js';
import { ingestMappings } from './polaris-mappings.js';

type Json = Record<string, unknown>;

const HTTP_TOO_MANY_REQUESTS = 429;
const HTTP_NOT_FOUND = 404;
/** Connection names: 1 to 64 characters of [A-Za-z0-9._-]. */
const MAX_CONNECTION_NAME = 64;

/** The connection polaris-pg creates for a table: a readable prefix of its name plus a hash of it (names differing only in other characters stay apart). */
export function connectionName(table: string): string {
  const hash = createHash('sha256').update(table).digest('hex').slice(0, 8);
  const readable = table.replace(/[^A-Za-z0-9._-]/g, '_');
  return `polaris-pg.${readable}`.slice(0, MAX_CONNECTION_NAME - hash.length - 1) + `.${hash}`;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function createPolarisStream(api: PolarisApi): StreamApi {
  /** The connection of the table's running streaming job, if it has one reading a connection. */
  const runningJob = async (table: string, credential: BackendCredential): Promise<string | null> => {
    const answer = (await api.call('GET', '/jobs', credential)) as Json | undefined;
    const jobs = Array.isArray(answer?.values) ? (answer.values as Json[]) : [];
    for (const job of jobs) {
      const target = (job.target ?? {}) as Json;
      const source = (job.source ?? {}) as Json;
      if (job.type === 'streaming' && target.tableName === table && job.executionStatus === 'running' && text(source.connectionName) !== null) return text(source.connectionName);
    }
    return null;
  };
  return {
    async prepare(table: string, columns: readonly IngestColumn[], credential: BackendCredential) {
      const existing = await runningJob(table, credential);
      if (existing !== null) return { connection: existing, created: false };
      const connection = connectionName(table);
      const found = await api.send('GET', `/connections/${encodeURIComponent(connection)}`, credential);
      if (found.status === HTTP_NOT_FOUND) {
        await api.call('POST', '/connections', credential, { json: { type: 'push_streaming', name: connection, description: `polaris-pg COPY into ${table}` } });
      } else if (found.status < 200 || found.status >= 300) {
        throw new PgError(SqlState.InternalError, `Polaris GET /connections/${connection} failed with HTTP ${found.status}: ${apiMessage(found.text)}`);
      }
      const { inputSchema, mappings } = ingestMappings(columns);
      await api.call('POST', '/jobs', credential, {
        json: {
          type: 'streaming',
          target: { type: 'table', tableName: table },
          createTableIfNotExists: true,
          source: { type: 'connection', connectionName: connection, formatSettings: { format: 'nd-json' }, inputSchema },
          mappings,
        },
      });
      return { connection, created: true };
    },
    async push(connection, ndjson, credential, onRetry) {
      const answer = await api.send('POST', `/events/${encodeURIComponent(connection)}`, credential, { ndjson }, onRetry);
      if (answer.status >= 200 && answer.status < 300) return;
      const limited = answer.status === HTTP_TOO_MANY_REQUESTS ? ` (rate limit) for ${MAX_RETRY_MS / 1000} s` : '';
      throw new PgError(SqlState.InternalError, `Polaris POST /events/${connection} failed with HTTP ${answer.status}${limited}: ${apiMessage(answer.text)}`);
    },
  };
}
