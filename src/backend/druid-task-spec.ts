import { randomUUID } from 'node:crypto';
import type { IngestRequest } from '../schema/ingest.js';

/**
 * The native batch task that appends one batch of rows to a datasource (docs/writes.md): an
 * `index_parallel` task, rollup off, appending (appendToExisting), reading newline-delimited JSON
 * from an `inline` input source or from one file through a `local` input source. The task does not
 * wait for its segments to load (awaitSegmentAvailabilityTimeoutMillis waited a full minute on
 * Druid 33, observed): the session polls COUNT(*) through the Broker instead (src/session/write/job.ts).
 * https://druid.apache.org/docs/latest/ingestion/native-batch
 */

/** Segments are allocated per day; an interval that already holds coarser segments keeps their granularity. */
const SEGMENT_GRANULARITY = 'DAY';

/**
 * Start of the ID of every task polaris-pg submits, which polaris.jobs lists (an explicit `id` is
 * part of the task spec; Druid builds an ID like index_parallel_<dataSource>_... otherwise).
 */
export const TASK_ID_PREFIX = 'polaris-pg_';

export function appendTaskSpec(request: IngestRequest): Record<string, unknown> {
  const input = request.input;
  const inputSource =
    input.kind === 'inline'
      ? { type: 'inline', data: input.data }
      : { type: 'local', files: [input.path] };
  return {
    type: 'index_parallel',
    id: `${TASK_ID_PREFIX}index_parallel_${request.dataSource}_${randomUUID()}`,
    spec: {
      dataSchema: {
        dataSource: request.dataSource,
        timestampSpec: { column: '__time', format: 'millis' },
        dimensionsSpec: { dimensions: request.columns.map((c) => ({ name: c.name, type: c.type })) },
        granularitySpec: { type: 'uniform', segmentGranularity: SEGMENT_GRANULARITY, queryGranularity: 'NONE', rollup: false },
      },
      ioConfig: { type: 'index_parallel', inputSource, inputFormat: { type: 'json' }, appendToExisting: true },
      tuningConfig: {
        type: 'index_parallel',
        partitionsSpec: { type: 'dynamic' },
        maxNumConcurrentSubTasks: 1,
        // A row Druid cannot parse fails the task: nothing is dropped silently.
        maxParseExceptions: 0,
      },
    },
  };
}
