/**
 * How polaris-pg's ingestion rows map to a Polaris table (docs/writes.md, "Polaris"): NDJSON with
 * __time in epoch milliseconds and each column under its own name.
 */
import type { IngestColumn, IngestColumnType } from '../schema/ingest.js';

type Json = Record<string, unknown>;

const TIME_COLUMN = '__time';

/** Polaris data types of the columns a write produces (the document's TableColumnDataType). */
export const DATA_TYPE: Readonly<Record<IngestColumnType, string>> = { string: 'string', long: 'long', double: 'double', float: 'float' };

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The input schema and mappings of NDJSON rows with __time in epoch milliseconds and each column as is. */
export function ingestMappings(columns: readonly IngestColumn[]): { inputSchema: Json[]; mappings: Json[] } {
  return {
    inputSchema: [{ name: TIME_COLUMN, dataType: 'long' }, ...columns.map((c) => ({ name: c.name, dataType: DATA_TYPE[c.type] }))],
    mappings: [
      { columnName: TIME_COLUMN, expression: `MILLIS_TO_TIMESTAMP(${quoteIdent(TIME_COLUMN)})` },
      ...columns.map((c) => ({ columnName: c.name, expression: quoteIdent(c.name) })),
    ],
  };
}
