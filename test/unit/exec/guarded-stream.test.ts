import { describe, expect, it } from 'vitest';
import { TRUNCATED_MESSAGE } from '../../../src/backend/result-stream.js';
import { RUNTIME_HINT, RUNTIME_REFUSAL } from '../../../src/errors/druid.js';
import { PgError } from '../../../src/errors/pg-error.js';
import { SqlState } from '../../../src/errors/sqlstate.js';
import { holdGuarded } from '../../../src/exec/guarded-stream.js';
import type { DruidValue, QueryStream } from '../../../src/schema/druid.js';

/**
 * A guarded query's cut stream is reported as the guard's refusal (0A000), before the first row
 * while the result is held back (src/exec/guarded-stream.ts): it reached the client as 08006 after
 * rows (`SELECT bytes, path, sum(session_key) + 0 FROM events GROUP BY 1, 2`).
 */

const GUARDED_SQL = `SELECT PARSE_JSON(CASE WHEN x THEN '${RUNTIME_REFUSAL}sum() too wide${RUNTIME_HINT}sum fewer rows' ELSE '1' END) FROM t`;
const truncated = (): PgError => new PgError(SqlState.ConnectionFailure, TRUNCATED_MESSAGE);

/** A stream of `batches`, then `failure` if given; counts the batches read. */
function stream(batches: DruidValue[][][], failure?: Error): QueryStream & { read: () => number; closed: () => boolean } {
  let read = 0;
  let closed = false;
  async function* rows(): AsyncGenerator<DruidValue[][]> {
    for (const batch of batches) {
      read += 1;
      yield batch;
    }
    if (failure !== undefined) throw failure;
  }
  return { sqlQueryId: 'q', columns: [], [Symbol.asyncIterator]: () => rows(), close: async () => void (closed = true), read: () => read, closed: () => closed };
}

async function drain(s: QueryStream): Promise<DruidValue[][]> {
  const out: DruidValue[][] = [];
  for await (const batch of s) out.push(...batch);
  return out;
}

describe('holdGuarded', () => {
  it('fails with the guard refusal, before returning the stream, when the cut comes within the held bytes', async () => {
    const inner = stream([[['a', 1]], [['b', 2]]], truncated());
    const error = await holdGuarded(inner, GUARDED_SQL).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PgError);
    expect((error as PgError).code).toBe('0A000');
    expect((error as PgError).message).toBe('sum() too wide');
    expect((error as PgError).hint).toBe('sum fewer rows');
    expect(inner.closed()).toBe(true);
  });

  it('passes every row of a complete result, in order', async () => {
    const held = await holdGuarded(stream([[['a', 1]], [['b', 2], ['c', 3]]]), GUARDED_SQL);
    expect(await drain(held)).toEqual([['a', 1], ['b', 2], ['c', 3]]);
  });

  it('streams past the held bytes and reports a later cut as the refusal', async () => {
    const inner = stream([[['a'.repeat(10), 1]], [['b', 2]], [['c', 3]]], truncated());
    const held = await holdGuarded(inner, GUARDED_SQL, 5);
    expect(inner.read()).toBe(1);
    const seen: DruidValue[][] = [];
    const error = await (async () => {
      for await (const batch of held) seen.push(...batch);
    })().catch((err: unknown) => err);
    expect(seen).toEqual([['a'.repeat(10), 1], ['b', 2], ['c', 3]]);
    expect((error as PgError).code).toBe('0A000');
  });

  it('leaves other errors, and cuts of queries without a guard, as they are', async () => {
    const other = new PgError(SqlState.QueryCanceled, 'canceling statement due to user request');
    await expect(holdGuarded(stream([], other), GUARDED_SQL)).rejects.toBe(other);
    const cut = truncated();
    await expect(holdGuarded(stream([[['a', 1]]], cut), 'SELECT 1')).rejects.toBe(cut);
  });
});
