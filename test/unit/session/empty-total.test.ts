import { describe, expect, it } from 'vitest';
import type { DruidValue, QueryStream } from '../../../src/schema/druid.js';
import { orEmptyTotal, parametersFor } from '../../../src/exec/empty-total.js';

function stream(id: string, batches: DruidValue[][][], closed: string[]): QueryStream {
  return {
    sqlQueryId: id,
    columns: [{ name: 'n', sqlType: 'BIGINT', nativeType: 'LONG' }],
    async *[Symbol.asyncIterator]() {
      yield* batches;
    },
    close: () => {
      closed.push(id);
      return Promise.resolve();
    },
  };
}

async function rowsOf(s: QueryStream): Promise<DruidValue[][]> {
  const rows: DruidValue[][] = [];
  for await (const batch of s) rows.push(...batch);
  return rows;
}

describe('orEmptyTotal', () => {
  it('runs the grand-total query only when the grouping query returns no rows', async () => {
    const closed: string[] = [];
    let opened = 0;
    const total = (): Promise<QueryStream> => {
      opened += 1;
      return Promise.resolve(stream('total', [[[0]]], closed));
    };
    expect(await rowsOf(orEmptyTotal(stream('main', [[[5], [7]]], closed), total))).toEqual([[5], [7]]);
    expect(opened).toBe(0);
    const empty = orEmptyTotal(stream('main', [[], []], closed), total);
    expect(await rowsOf(empty)).toEqual([[0]]);
    expect(opened).toBe(1);
    expect(empty.columns).toEqual([{ name: 'n', sqlType: 'BIGINT', nativeType: 'LONG' }]);
    await empty.close();
    expect(closed).toEqual(['main', 'total']);
  });

  it('binds the total query\'s parameters by $n from the main query\'s', () => {
    const main = [
      { pgIndex: 2, druidType: 'VARCHAR' },
      { pgIndex: 1, druidType: 'BIGINT' },
    ];
    const bound = [
      { type: 'VARCHAR', value: 'x' },
      { type: 'BIGINT', value: 7 },
    ];
    expect(parametersFor([{ pgIndex: 1, druidType: 'BIGINT' }], main, bound)).toEqual([{ type: 'BIGINT', value: 7 }]);
  });
});
