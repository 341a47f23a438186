import { describe, expect, it } from 'vitest';
import type { Backend, QueryStream } from '../../../src/schema/druid.js';
import type { Ingestion, JobStatus } from '../../../src/schema/ingest.js';
import type { SessionContext } from '../../../src/session/context.js';
import { runJob, type JobTarget } from '../../../src/session/write/job.js';
import { RowSink } from '../../../src/session/write/staging.js';
import { GucStore } from '../../../src/exec/gucs.js';

function status(state: JobStatus['state'], errorMsg: string | null = null): JobStatus {
  return { id: 'task-1', dataSource: 'wtest_t', type: 'index_parallel', state, status: state, health: null, errorMsg, createdTime: null, durationMs: null };
}

/** A session context with only what runJob uses: NOTICEs, output flush and settings. */
function context(gucs: GucStore, notices: string[]): SessionContext {
  return { notice: (_code: string, message: string) => notices.push(message), out: { flush: async () => undefined }, gucs } as unknown as SessionContext;
}

function stream(count: number): QueryStream {
  return {
    sqlQueryId: 'q',
    columns: [{ name: 'EXPR$0', sqlType: 'BIGINT', nativeType: 'LONG' }],
    close: async () => undefined,
    async *[Symbol.asyncIterator]() {
      yield [[count]];
    },
  };
}

function target(statuses: JobStatus[], counts: number[]): JobTarget & { submitted: number } {
  const ingestion: Ingestion = {
    submit: async () => 'task-1',
    status: async () => statuses.shift() ?? status('SUCCESS'),
    jobs: async () => [],
  };
  const backend = { query: async () => stream(counts.shift() ?? 0) } as unknown as Backend;
  return { ingestion, backend, credential: { kind: 'none' }, table: 'wtest_t', columns: [], submitted: 0 };
}

describe('runJob', () => {
  it('a failed task is an error with the task\'s own message, never success', async () => {
    const sink = new RowSink('/nonexistent');
    await sink.add('{"__time":0}');
    const notices: string[] = [];
    const gucs = new GucStore('16.4', '160004');
    await expect(runJob(context(gucs, notices), target([status('RUNNING'), status('FAILED', 'java.lang.RuntimeException: boom')], []), sink, 0n)).rejects.toMatchObject({
      code: 'XX000',
      message: 'ingestion task task-1 failed: java.lang.RuntimeException: boom',
    });
    expect(notices).toEqual(['ingestion task task-1 submitted: 1 rows into "wtest_t"']);
  });

  it('waits until COUNT(*) shows the new rows; with polaris.write_wait off it returns after submission', async () => {
    const sink = new RowSink('/nonexistent');
    await sink.add('{"__time":0}');
    await sink.add('{"__time":1}');
    const counts = [5, 5, 7];
    const t = target([status('SUCCESS')], counts);
    await runJob(context(new GucStore('16.4', '160004'), []), t, sink, 5n);
    expect(counts).toEqual([]);

    const gucs = new GucStore('16.4', '160004');
    gucs.set('polaris.write_wait', 'off', false);
    const later = [9];
    const quick = new RowSink('/nonexistent');
    await quick.add('{"__time":0}');
    await runJob(context(gucs, []), target([status('RUNNING')], later), quick, 0n);
    expect(later).toEqual([9]);
  });
});
