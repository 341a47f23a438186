import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { DruidValue, QueryStream } from '../schema/druid.js';
import type { SetOperation } from '../sql/types.js';

const BATCH_ROWS = 1024;
/**
 * Bytes of row keys (JSON text, two bytes per UTF-16 unit) one set operation may hold: the right
 * result's distinct rows and the distinct rows already output. Past it the statement fails with
 * 54000 rather than growing the gateway's memory without bound.
 */
export const SET_OPERATION_MEMORY_BYTES = 64 * 1024 * 1024;
const BYTES_PER_UNIT = 2;

/** Counts the bytes of the distinct keys a set operation holds, failing past the limit. */
class KeyBudget {
  #bytes = 0;
  constructor(private readonly limit: number) {}
  add(key: string): void {
    this.#bytes += key.length * BYTES_PER_UNIT;
    if (this.#bytes > this.limit) {
      throw new PgError(SqlState.ProgramLimitExceeded, `set operation needs more than ${this.limit} bytes of gateway memory`, {
        hint: 'UNION, INTERSECT and EXCEPT run in the gateway, which holds the distinct rows of the right side (and, without ALL, of the output). Narrow the queries or use UNION ALL without ORDER BY.',
      });
    }
  }
}

/**
 * UNION, INTERSECT and EXCEPT [ALL] of two query results, computed by the gateway because Druid
 * runs none of them (docs/sql-compatibility.md): PostgreSQL's multiset rules
 * (https://www.postgresql.org/docs/current/queries-union.html). Rows are equal when their values
 * are (the translator allows only columns of exact types: text, integers, booleans, dates and
 * timestamps as epoch milliseconds, where equal values have one JSON form). The right result is
 * held in memory as counts per distinct row; the left one streams. The result keeps the left
 * query's columns (the translator checked that both sides have the same types).
 */
export function combineSetOperation(
  left: QueryStream,
  right: () => Promise<QueryStream>,
  operation: Pick<SetOperation, 'op' | 'all'>,
  memoryBytes = SET_OPERATION_MEMORY_BYTES,
): QueryStream {
  let other: QueryStream | undefined;
  async function* rows(): AsyncGenerator<DruidValue[][]> {
    other = await right();
    const budget = new KeyBudget(memoryBytes);
    const counts = new Map<string, number>();
    const firstSeen = new Map<string, DruidValue[]>();
    for await (const batch of other) {
      for (const row of batch) {
        const key = rowKey(row);
        if (!counts.has(key)) budget.add(key);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (!firstSeen.has(key)) firstSeen.set(key, row);
      }
    }
    const emitted = new Set<string>();
    let out: DruidValue[][] = [];
    for await (const batch of left) {
      for (const row of batch) {
        if (keep(rowKey(row), counts, emitted, operation, budget)) out.push(row);
        if (out.length >= BATCH_ROWS) {
          yield out;
          out = [];
        }
      }
    }
    // UNION adds the right rows the left did not have (UNION ALL: all of them).
    if (operation.op === 'UNION') {
      for (const [key, row] of firstSeen) {
        const copies = operation.all ? (counts.get(key) ?? 0) : emitted.has(key) ? 0 : 1;
        for (let i = 0; i < copies; i++) out.push(row);
        if (out.length >= BATCH_ROWS) {
          yield out;
          out = [];
        }
      }
    }
    if (out.length > 0) yield out;
  }
  return {
    sqlQueryId: left.sqlQueryId,
    columns: left.columns,
    [Symbol.asyncIterator]: () => rows(),
    close: async () => {
      await left.close();
      await other?.close();
    },
  };
}

/**
 * Whether a left row is output. `counts` holds the right rows not yet matched; `emitted` the
 * distinct rows already output (or, for UNION ALL, seen on the left).
 */
function keep(key: string, counts: Map<string, number>, emitted: Set<string>, operation: Pick<SetOperation, 'op' | 'all'>, budget: KeyBudget): boolean {
  const inRight = counts.get(key) ?? 0;
  const remember = (): void => {
    budget.add(key);
    emitted.add(key);
  };
  switch (operation.op) {
    case 'UNION':
      if (operation.all) return true;
      if (emitted.has(key)) return false;
      remember();
      return true;
    case 'INTERSECT':
      if (inRight === 0) return false;
      if (operation.all) {
        counts.set(key, inRight - 1);
        return true;
      }
      if (emitted.has(key)) return false;
      remember();
      return true;
    case 'EXCEPT':
      if (operation.all) {
        if (inRight === 0) return true;
        counts.set(key, inRight - 1);
        return false;
      }
      if (inRight > 0 || emitted.has(key)) return false;
      remember();
      return true;
  }
}

function rowKey(row: readonly DruidValue[]): string {
  return JSON.stringify(row, (_, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
}
