import { describe, expect, it } from 'vitest';
import type { DruidValue, QueryStream } from '../../../src/schema/druid.js';
import { combineSetOperation } from '../../../src/exec/set-operation.js';

function stream(id: string, rows: DruidValue[][], closed: string[]): QueryStream {
  return {
    sqlQueryId: id,
    columns: [{ name: 'k', sqlType: 'VARCHAR', nativeType: 'STRING' }],
    async *[Symbol.asyncIterator]() {
      yield rows;
    },
    close: () => {
      closed.push(id);
      return Promise.resolve();
    },
  };
}

async function combined(op: 'UNION' | 'INTERSECT' | 'EXCEPT', all: boolean, left: DruidValue[], right: DruidValue[]): Promise<DruidValue[]> {
  const closed: string[] = [];
  const result = combineSetOperation(stream('left', left.map((v) => [v]), closed), () => Promise.resolve(stream('right', right.map((v) => [v]), closed)), { op, all });
  const rows: DruidValue[] = [];
  for await (const batch of result) rows.push(...batch.map((r) => r[0] ?? null));
  await result.close();
  expect(closed).toEqual(['left', 'right']);
  return rows;
}

// PostgreSQL's multiset rules (queries-union.html): a row m times on the left and n on the right.
const LEFT = ['a', 'a', 'a', 'b', null, null, 'c'];
const RIGHT = ['a', 'b', 'b', null, 'd', 'd'];

describe('combineSetOperation', () => {
  it('UNION keeps each distinct row once, UNION ALL all of them', async () => {
    expect(await combined('UNION', false, LEFT, RIGHT)).toEqual(['a', 'b', null, 'c', 'd']);
    expect((await combined('UNION', true, LEFT, RIGHT)).length).toBe(LEFT.length + RIGHT.length);
  });

  it('INTERSECT keeps the distinct rows on both sides, INTERSECT ALL min(m, n) copies', async () => {
    expect(await combined('INTERSECT', false, LEFT, RIGHT)).toEqual(['a', 'b', null]);
    expect(await combined('INTERSECT', true, LEFT, RIGHT)).toEqual(['a', 'b', null]);
    expect(await combined('INTERSECT', true, ['x', 'x', 'x'], ['x', 'x'])).toEqual(['x', 'x']);
  });

  it('EXCEPT keeps the distinct left rows not on the right, EXCEPT ALL max(m - n, 0) copies', async () => {
    expect(await combined('EXCEPT', false, LEFT, RIGHT)).toEqual(['c']);
    expect(await combined('EXCEPT', true, LEFT, RIGHT)).toEqual(['a', 'a', null, 'c']);
  });

  it('compares bigint values by value', async () => {
    expect(await combined('INTERSECT', false, [9007199254740993n, 1], [9007199254740993n])).toEqual([9007199254740993n]);
  });
});
