import type { DruidValue, QueryStream } from '../schema/druid.js';

/** Druid's EXPLAIN PLAN FOR columns (PLAN, RESOURCES, ATTRIBUTES): the plan is the first. */
const PLAN_COLUMN = 0;

/** Pretty-prints a JSON plan; other text stays as it is. */
function planLines(plan: DruidValue): string[] {
  const text = typeof plan === 'string' ? plan : JSON.stringify(plan);
  try {
    return JSON.stringify(JSON.parse(text), null, 2).split('\n');
  } catch {
    return text.split('\n');
  }
}

/**
 * EXPLAIN's result as PostgreSQL shapes it: one text column "QUERY PLAN", one row per line
 * (here Druid's native query plan as indented JSON).
 */
export function explainStream(inner: QueryStream): QueryStream {
  async function* lines(): AsyncGenerator<DruidValue[][]> {
    for await (const batch of inner) {
      const rows = batch.flatMap((row) => planLines(row[PLAN_COLUMN] ?? '').map((line) => [line]));
      if (rows.length > 0) yield rows;
    }
  }
  return {
    sqlQueryId: inner.sqlQueryId,
    columns: [{ name: 'QUERY PLAN', sqlType: 'VARCHAR', nativeType: 'STRING' }],
    [Symbol.asyncIterator]: () => lines(),
    close: () => inner.close(),
  };
}
