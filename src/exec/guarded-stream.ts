import { guardRefusal } from '../errors/druid.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { TRUNCATED_MESSAGE } from '../backend/result-stream.js';
import type { DruidValue, QueryStream } from '../schema/druid.js';

/**
 * The rows of a query whose Druid SQL carries a run-time guard (a PARSE_JSON of a refusal text,
 * src/sql/translate/wide-sum.ts): Druid evaluates a guard in HAVING or a select expression per
 * group while it streams the groups, and a guard that fails after the first groups ends the HTTP
 * body without its trailer, which the client saw as 08006 after rows (`SELECT bytes, path,
 * sum(session_key) + 0 FROM events GROUP BY 1, 2`). Such a result is held back until it ends or
 * reaches HOLD_BYTES, so that a guard's failure within it is reported as the guard's refusal
 * (0A000) before the first row; a cut stream after that is reported as the refusal too (after rows).
 */

/** The most result bytes (estimated from the decoded values) held back before the first row is sent. */
export const HOLD_BYTES = 4 * 1024 * 1024;
/** Estimated bytes of a value other than text: a number's JSON form is at most this long. */
const VALUE_BYTES = 24;

function batchBytes(batch: readonly DruidValue[][]): number {
  let bytes = 0;
  for (const row of batch) for (const value of row) bytes += typeof value === 'string' ? value.length : VALUE_BYTES;
  return bytes;
}

/** A cut stream of a guarded query is the guard's refusal; other errors pass. */
function asRefusal(err: unknown, druidSql: string): unknown {
  if (!(err instanceof PgError) || err.code !== SqlState.ConnectionFailure || err.message !== TRUNCATED_MESSAGE) return err;
  return guardRefusal(druidSql, err) ?? err;
}

/** `inner` with its first HOLD_BYTES of rows read before it is returned (see above). */
export async function holdGuarded(inner: QueryStream, druidSql: string, holdBytes = HOLD_BYTES): Promise<QueryStream> {
  const source = inner[Symbol.asyncIterator]();
  const held: DruidValue[][][] = [];
  let bytes = 0;
  let ended = false;
  try {
    while (bytes < holdBytes) {
      const next = await source.next();
      if (next.done === true) {
        ended = true;
        break;
      }
      held.push(next.value);
      bytes += batchBytes(next.value);
    }
  } catch (err) {
    await inner.close();
    throw asRefusal(err, druidSql);
  }
  async function* rows(): AsyncGenerator<DruidValue[][]> {
    yield* held.splice(0);
    if (ended) return;
    try {
      for (let next = await source.next(); next.done !== true; next = await source.next()) yield next.value;
    } catch (err) {
      throw asRefusal(err, druidSql);
    }
  }
  return { sqlQueryId: inner.sqlQueryId, columns: inner.columns, [Symbol.asyncIterator]: () => rows(), close: () => inner.close() };
}
