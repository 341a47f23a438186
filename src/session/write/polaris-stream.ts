import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { PgError, unsupported } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import type { IngestInput, StreamApi } from '../../schema/ingest.js';
import type { SessionContext } from '../context.js';
import { awaitQueryable, notice, type JobTarget } from './job.js';
import type { RowSink } from './staging.js';

/**
 * COPY FROM with `SET polaris.copy_target = stream` (docs/writes.md, "Push streaming"): the rows,
 * checked and staged exactly as for a batch job (so a bad line still ingests nothing), are pushed
 * to the table's push-streaming connection in bodies of at most MAX_EVENTS_BODY_BYTES, then the
 * statement waits until they are counted.
 */

/** Polaris' published per-request limit of the Events API (1 MB). */
export const MAX_EVENTS_BODY_BYTES = 1_000_000;

/** The staged rows, one NDJSON line at a time, without holding more than one line. */
async function* lines(input: IngestInput): AsyncGenerator<string> {
  if (input.kind === 'inline') {
    for (const line of input.data.split('\n')) if (line !== '') yield line;
    return;
  }
  const reader = createInterface({ input: createReadStream(input.path), crlfDelay: Infinity });
  for await (const line of reader) if (line !== '') yield line;
}

/** The target's push streaming; 0A000 on Druid, before the client sends any row. */
export function streamApi(target: JobTarget): StreamApi {
  const stream = target.ingestion.stream;
  if (stream === undefined) throw unsupported('SET polaris.copy_target = stream on the Druid backend', 'Druid has no push streaming: RESET polaris.copy_target to COPY as one batch task.');
  return stream;
}

/** Pushes the sink's rows to the table's connection; `before` is the table's count before the COPY. */
export async function streamCopy(ctx: SessionContext, target: JobTarget, sink: RowSink, before: bigint): Promise<void> {
  const stream = streamApi(target);
  try {
    const input = await sink.finish();
    const { connection, created } = await stream.prepare(target.table, target.columns, target.credential);
    await notice(ctx, `${created ? 'created push-streaming connection' : 'push-streaming connection'} ${connection} with its streaming job: ${sink.rows} rows into "${target.table}"`);
    const onRetry = (waitMs: number): Promise<void> => notice(ctx, `Polaris rate limit (HTTP 429) on connection ${connection}: retrying in ${waitMs / 1000} s`);
    let body: string[] = [];
    let bytes = 0;
    for await (const line of lines(input)) {
      const size = Buffer.byteLength(line) + 1;
      if (size > MAX_EVENTS_BODY_BYTES) throw new PgError(SqlState.ProgramLimitExceeded, `a row of ${size} bytes exceeds Polaris' 1 MB limit of one events request`);
      if (bytes + size > MAX_EVENTS_BODY_BYTES) {
        await stream.push(connection, body.join(''), target.credential, onRetry);
        body = [];
        bytes = 0;
      }
      body.push(`${line}\n`);
      bytes += size;
    }
    if (body.length > 0) await stream.push(connection, body.join(''), target.credential, onRetry);
    if (ctx.gucs.get('polaris.write_wait') === 'off') return;
    await awaitQueryable(ctx, target, `by connection ${connection}`, before + BigInt(sink.rows));
  } finally {
    await sink.discard();
  }
}
