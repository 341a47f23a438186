import { describe, expect, it } from 'vitest';
import type { DruidValue, QueryStream } from '../../../src/schema/druid.js';
import { compareCodePoints, rowComparator } from '../../../src/exec/sort/compare.js';
import { ExternalSort } from '../../../src/exec/sort/external.js';
import { sortStream } from '../../../src/exec/sort/sorted-stream.js';
import { TopN } from '../../../src/exec/sort/top-n.js';

function streamOf(rows: DruidValue[][], types: string[], batch = 3): QueryStream {
  return {
    sqlQueryId: 'q',
    columns: types.map((sqlType, i) => ({ name: `c${i}`, sqlType, nativeType: null })),
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < rows.length; i += batch) yield rows.slice(i, i + batch);
    },
    close: async () => undefined,
  };
}

async function collect(stream: QueryStream): Promise<DruidValue[][]> {
  const out: DruidValue[][] = [];
  for await (const batch of stream) out.push(...batch);
  return out;
}

describe('gateway-side ORDER BY', () => {
  it('orders NULLs last for ASC and first for DESC by default, as PostgreSQL does', () => {
    const asc = rowComparator([{ column: 0, descending: false, nullsFirst: false, kind: 'number' }]);
    const desc = rowComparator([{ column: 0, descending: true, nullsFirst: true, kind: 'number' }]);
    const rows: DruidValue[][] = [[2], [null], [1], [3]];
    expect([...rows].sort(asc)).toEqual([[1], [2], [3], [null]]);
    expect([...rows].sort(desc)).toEqual([[null], [3], [2], [1]]);
  });

  it('compares int64 beyond 2^53 exactly, timestamps as instants and text by code point', () => {
    const big = rowComparator([{ column: 0, descending: false, nullsFirst: false, kind: 'number' }]);
    expect(big([9007199254740993n], [9007199254740992n])).toBeGreaterThan(0);
    expect(big([2.5], [2n])).toBeGreaterThan(0);
    const ts = rowComparator([{ column: 0, descending: false, nullsFirst: false, kind: 'timestamp' }]);
    expect(ts(['2026-03-08T01:30:00.000-05:00'], ['2026-03-08T03:10:00.000-04:00'])).toBeLessThan(0);
    expect(compareCodePoints('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
    expect(compareCodePoints('B', 'a')).toBeLessThan(0);
  });

  it('keeps the best n rows with a stable top-N heap', () => {
    const cmp = rowComparator([{ column: 0, descending: true, nullsFirst: true, kind: 'number' }]);
    const top = new TopN(3, cmp);
    for (const row of [[1, 'a'], [5, 'b'], [3, 'c'], [5, 'd'], [4, 'e'], [0, 'f']] as DruidValue[][]) top.push(row);
    expect(top.sorted()).toEqual([[5, 'b'], [5, 'd'], [4, 'e']]);
  });

  it('spills sorted runs to disk and merges them stably with exact int64 digits', async () => {
    const cmp = rowComparator([{ column: 0, descending: false, nullsFirst: false, kind: 'number' }]);
    const sorter = new ExternalSort(cmp, 4);
    const rows: DruidValue[][] = Array.from({ length: 23 }, (_, i) => [(i * 7) % 5, `r${i}`, 9007199254740993n + BigInt(i)]);
    await sorter.add(rows);
    expect(sorter.spilled).toBe(5);
    const out: DruidValue[][] = [];
    for await (const batch of sorter.sorted(6)) out.push(...batch);
    const expected = [...rows].sort(cmp);
    expect(out).toEqual(expected);
  });

  it('applies OFFSET/LIMIT and drops hidden sort columns', async () => {
    const rows: DruidValue[][] = [['x', 3], ['y', null], ['z', 1], ['w', 2]];
    const sorted = sortStream(streamOf(rows, ['VARCHAR', 'BIGINT']), { keys: [{ column: 1, descending: false, nullsFirst: false }], limit: 2, offset: 1, hiddenColumns: 1 }, 100);
    expect(sorted.columns.map((c) => c.name)).toEqual(['c0']);
    expect(await collect(sorted)).toEqual([['w'], ['x']]);
    const spilling = sortStream(streamOf(rows, ['VARCHAR', 'BIGINT']), { keys: [{ column: 1, descending: true, nullsFirst: true }], limit: null, offset: 0, hiddenColumns: 0 }, 2);
    expect(await collect(spilling)).toEqual([['y', null], ['x', 3], ['w', 2], ['z', 1]]);
  });
});

describe('gateway-side ORDER BY of exact averages and sums', () => {
  it('compares sum/count quotients exactly where their doubles tie, and split sums past 2^63', () => {
    const exact = rowComparator([{ column: 0, descending: false, nullsFirst: false, kind: 'quotient' }]);
    // 2^62+1 over 1 and (2^63+1)/2 = 2^62 + 0.5: equal as doubles, and as the numeric avg() gives
    // (display scale 0 at that size, select_div_scale: 4611686018427387905 both), so they tie.
    expect(exact([`${2n ** 62n + 1n}/1`], [`${2n ** 63n + 1n}/2`])).toBe(0);
    // 2^62+2 over 1 against (2^63+1)/2: equal as doubles, apart as numerics.
    expect(exact([`${2n ** 62n + 2n}/1`], [`${2n ** 63n + 1n}/2`])).toBeGreaterThan(0);
    expect(exact(['-7/2'], ['-3/1'])).toBeLessThan(0);
    expect(exact(['7/-2'], ['-3/1'])).toBeLessThan(0);
    expect(exact(['1:0:2'], ['0:4294967295:2'])).toBeGreaterThan(0);
    expect(exact(['1:0:2/2'], ['2147483648/1'])).toBe(0);
    expect(exact([null], ['1/1'])).toBeGreaterThan(0);
    expect(() => exact(['1/0'], ['1/1'])).toThrow(expect.objectContaining({ code: '22012' }) as Error);
  });
});
