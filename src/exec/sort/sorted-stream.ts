import type { DruidColumn, DruidValue, QueryStream } from '../../schema/druid.js';
import type { GatewaySort } from '../../sql/types.js';
import { rowComparator, type Row, type SortKey } from './compare.js';
import { ExternalSort } from './external.js';
import { TopN } from './top-n.js';

const NUMERIC = new Set(['BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'DOUBLE', 'FLOAT', 'REAL', 'DECIMAL']);

function keyKind(column: DruidColumn | undefined): SortKey['kind'] {
  const type = column?.sqlType ?? 'VARCHAR';
  if (NUMERIC.has(type)) return 'number';
  if (type === 'TIMESTAMP' || type === 'DATE') return 'timestamp';
  if (type === 'BOOLEAN') return 'boolean';
  return 'text';
}

/**
 * ORDER BY [LIMIT/OFFSET] in the gateway: reads the backend stream whole into a bounded sorter
 * (top-N heap under a LIMIT, else an external merge sort), then yields the ordered rows.
 */
export function sortStream(inner: QueryStream, sort: GatewaySort, maxRowsInMemory: number): QueryStream {
  const keys: SortKey[] = sort.keys.map(({ quotient, ...k }) => ({ ...k, kind: quotient === true ? 'quotient' : keyKind(inner.columns[k.column]) }));
  const compare = rowComparator(keys);
  const visible = inner.columns.length - sort.hiddenColumns;
  const trim = (rows: Row[]): DruidValue[][] => (sort.hiddenColumns === 0 ? rows : rows.map((r) => r.slice(0, visible)));
  const wanted = sort.limit === null ? null : sort.offset + sort.limit;

  async function* ordered(): AsyncGenerator<DruidValue[][]> {
    let skip = sort.offset;
    let remaining = sort.limit ?? Number.POSITIVE_INFINITY;
    const emit = function* (rows: Row[]): Generator<DruidValue[][]> {
      let batch = rows;
      if (skip > 0) {
        const dropped = Math.min(skip, batch.length);
        skip -= dropped;
        batch = batch.slice(dropped);
      }
      if (batch.length > remaining) batch = batch.slice(0, remaining);
      remaining -= batch.length;
      if (batch.length > 0) yield trim(batch);
    };
    if (wanted !== null && wanted <= maxRowsInMemory) {
      const top = new TopN(wanted, compare);
      for await (const batch of inner) for (const row of batch) top.push(row);
      const rows = top.sorted();
      for (let i = 0; i < rows.length; i += 1024) yield* emit(rows.slice(i, i + 1024));
      return;
    }
    const sorter = new ExternalSort(compare, maxRowsInMemory);
    try {
      for await (const batch of inner) await sorter.add(batch);
      for await (const batch of sorter.sorted()) {
        yield* emit(batch);
        if (remaining <= 0) return;
      }
    } finally {
      sorter.cleanup();
    }
  }

  return {
    sqlQueryId: inner.sqlQueryId,
    columns: inner.columns.slice(0, visible),
    [Symbol.asyncIterator]: () => ordered(),
    close: () => inner.close(),
  };
}
