import { RecordBatchStreamWriter } from 'apache-arrow';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { ColumnInfo, ResultSet, Row } from '../driver/index.js';

/** Output formats of `polaris-pg query`. */
export const FORMATS = ['table', 'csv', 'json', 'arrow'] as const;
export type Format = (typeof FORMATS)[number];

/** Counts rows as they are written (for the progress line). */
export type OnRows = (count: number) => void;

/** Types whose PostgreSQL text is a JSON number (json format writes the digits as they are). */
const JSON_NUMBER_TYPES = new Set(['int2', 'int4', 'int8', 'numeric', 'float4', 'float8']);
const CSV_SPECIAL = /[",\r\n]/;

async function write(out: Writable, text: string | Uint8Array): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** CSV as PostgreSQL's COPY ... CSV HEADER writes it: NULL empty, quotes only where needed. */
function csvField(text: string | null): string {
  if (text === null) return '';
  return text === '' || CSV_SPECIAL.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function jsonValue(row: Row, i: number, column: ColumnInfo): string {
  const text = row.getString(i);
  if (text === null) return 'null';
  if (column.pgType === 'bool') return text === 't' ? 'true' : 'false';
  if (JSON_NUMBER_TYPES.has(column.pgType) && /^-?\d/.test(text)) return text;
  return JSON.stringify(text);
}

async function writeCsv(result: ResultSet, out: Writable, onRows: OnRows): Promise<void> {
  await write(out, `${result.columns.map((c) => csvField(c.name)).join(',')}\n`);
  const width = result.columns.length;
  for await (const batch of chunks(result)) {
    const lines = batch.map((row) => Array.from({ length: width }, (_, i) => csvField(row.getString(i))).join(','));
    await write(out, `${lines.join('\n')}\n`);
    onRows(batch.length);
  }
}

async function writeJson(result: ResultSet, out: Writable, onRows: OnRows): Promise<void> {
  const keys = result.columns.map((c) => JSON.stringify(c.name));
  for await (const batch of chunks(result)) {
    const lines = batch.map((row) => `{${result.columns.map((c, i) => `${keys[i] as string}:${jsonValue(row, i, c)}`).join(',')}}`);
    await write(out, `${lines.join('\n')}\n`);
    onRows(batch.length);
  }
}

/** psql's aligned format (the whole result is read first to size the columns). */
async function writeTable(result: ResultSet, out: Writable, onRows: OnRows): Promise<void> {
  const header = result.columns.map((c) => c.name);
  const rows: string[][] = [];
  for await (const batch of chunks(result)) {
    for (const row of batch) rows.push(header.map((_, i) => row.getString(i) ?? ''));
    onRows(batch.length);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]): string => ` ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')}`.trimEnd();
  const text = [line(header), widths.map((w) => '-'.repeat(w + 2)).join('+'), ...rows.map(line), `(${rows.length} row${rows.length === 1 ? '' : 's'})`, ''];
  await write(out, `${text.join('\n')}\n`);
}

/** An Arrow IPC stream (https://arrow.apache.org/docs/format/Columnar.html#ipc-streaming-format). */
async function writeArrow(result: ResultSet, out: Writable, onRows: OnRows): Promise<void> {
  const writer = new RecordBatchStreamWriter();
  const pump = (async () => {
    for await (const chunk of writer) await write(out, chunk);
  })();
  try {
    for await (const batch of result.arrow()) {
      writer.write(batch);
      onRows(batch.numRows);
    }
  } finally {
    writer.finish();
    await pump;
  }
}

/** A result's rows in batches (one backend batch at a time). */
async function* chunks(result: ResultSet): AsyncGenerator<Row[]> {
  let batch: Row[] = [];
  for await (const row of result) {
    batch.push(row);
    if (batch.length >= result.fetchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export function writeResult(format: Format, result: ResultSet, out: Writable, onRows: OnRows): Promise<void> {
  switch (format) {
    case 'csv':
      return writeCsv(result, out, onRows);
    case 'json':
      return writeJson(result, out, onRows);
    case 'table':
      return writeTable(result, out, onRows);
    case 'arrow':
      return writeArrow(result, out, onRows);
  }
}
