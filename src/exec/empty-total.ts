import type { DruidParameter, DruidValue, QueryStream } from '../schema/druid.js';
import type { ParameterSlot } from '../sql/types.js';

/**
 * The rows of `inner`, or, when it has none, those of the query `total` opens (Translation.
 * emptyTotal: PostgreSQL's grand-total row of grouping sets over an empty input, which Druid
 * leaves out). The result keeps `inner`'s columns: both queries have the same select list.
 */
export function orEmptyTotal(inner: QueryStream, total: () => Promise<QueryStream>): QueryStream {
  let fallback: QueryStream | undefined;
  async function* rows(): AsyncGenerator<DruidValue[][]> {
    let any = false;
    for await (const batch of inner) {
      any ||= batch.length > 0;
      yield batch;
    }
    if (any) return;
    fallback = await total();
    yield* fallback;
  }
  return {
    sqlQueryId: inner.sqlQueryId,
    columns: inner.columns,
    [Symbol.asyncIterator]: () => rows(),
    close: async () => {
      await inner.close();
      await fallback?.close();
    },
  };
}

/** Parameters for `slots` from those bound to the main query's slots (matched by $n). */
export function parametersFor(slots: readonly ParameterSlot[], mainSlots: readonly ParameterSlot[], bound: readonly DruidParameter[]): DruidParameter[] {
  const byIndex = new Map(mainSlots.map((slot, i) => [slot.pgIndex, bound[i]]));
  return slots.map((slot) => byIndex.get(slot.pgIndex) ?? { type: slot.druidType, value: null });
}
