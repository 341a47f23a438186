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

describe('combineSetOperation memory', () => {
  /** Rows of distinct 100-character keys (each key's JSON text is 104 characters: 208 bytes). */
  const wide = (prefix: string, n: number): DruidValue[][] => Array.from({ length: n }, (_, i) => [`${prefix}${String(i).padStart(99, '0')}`]);
  const KEY_BYTES = 208;

  async function drain(op: 'UNION' | 'INTERSECT' | 'EXCEPT', left: DruidValue[][], right: DruidValue[][], limit: number): Promise<number> {
    const closed: string[] = [];
    const result = combineSetOperation(stream('left', left, closed), () => Promise.resolve(stream('right', right, closed)), { op, all: false }, limit);
    let n = 0;
    try {
      for await (const batch of result) n += batch.length;
    } finally {
      await result.close();
    }
    return n;
  }

  it('fails with 54000 once the right side’s distinct rows pass the byte limit, never with a short result', async () => {
    await expect(drain('INTERSECT', wide('a', 10), wide('b', 11), 10 * KEY_BYTES)).rejects.toMatchObject({ code: '54000' });
    expect(await drain('INTERSECT', wide('a', 10), wide('b', 10), 10 * KEY_BYTES)).toBe(0);
  });

  it('counts the distinct rows a UNION has output as well', async () => {
    await expect(drain('UNION', wide('a', 6), wide('b', 5), 10 * KEY_BYTES)).rejects.toMatchObject({ code: '54000' });
    expect(await drain('UNION', wide('a', 5), wide('b', 5), 10 * KEY_BYTES)).toBe(10);
  });
});
