/**
 * A Polaris ingestion job -> a Druid native batch task (index_parallel with an inline input source):
 * https://druid.apache.org/docs/latest/ingestion/native-batch and .../ingestion/ingestion-spec.
 * Druid 33 without the multi-stage engine has no SQL ingestion, so mappings are read as follows
 * (docs/polaris-local.md, "Jobs"): `__time` from `"col"`, `TIME_PARSE("col")` (format auto) or
 * `MILLIS_TO_TIMESTAMP("col")` (millis); another column from `"col"` (a rename becomes a transform) or
 * any other expression, which is handed to Druid as a native expression (many functions share names
 * and quoting with SQL; one that does not fails the task).
 */
import { isRecord } from './http-util.js';
import { TIME_COLUMN, type TableRecord } from './table-model.js';

export interface Mapping {
  columnName: string;
  expression: string;
}

export interface IngestSource {
  inputSchema: { name: string; dataType: string }[];
  format: 'nd-json' | 'csv';
  mappings: Mapping[];
}

const IDENTIFIER = /^"((?:[^"]|"")+)"$/;
const TIME_FUNCTION = /^(TIME_PARSE|MILLIS_TO_TIMESTAMP)\s*\(\s*"((?:[^"]|"")+)"\s*\)$/i;
const DIMENSION_TYPES: Readonly<Record<string, string>> = { long: 'long', bigint: 'long', double: 'double', float: 'float', json: 'json', 'complex<json>': 'json' };
const GRANULARITY: Readonly<Record<string, string>> = { five_minute: 'FIVE_MINUTE', ten_minute: 'TEN_MINUTE', fifteen_minute: 'FIFTEEN_MINUTE', thirty_minute: 'THIRTY_MINUTE', six_hour: 'SIX_HOUR', eight_hour: 'EIGHT_HOUR' };

/** The source settings of a job request, or the reason they are refused. */
export function readSource(source: Record<string, unknown>, mappings: unknown): IngestSource | string {
  const inputSchema = Array.isArray(source.inputSchema) ? source.inputSchema.filter(isRecord).map((c) => ({ name: String(c.name), dataType: String(c.dataType ?? 'string') })) : [];
  const formatSettings = isRecord(source.formatSettings) ? source.formatSettings : {};
  const format = formatSettings.format ?? 'nd-json';
  if (format !== 'nd-json' && format !== 'csv') return `formatSettings.format ${String(format)} is not supported here (nd-json, csv)`;
  const list = Array.isArray(mappings) ? mappings.filter(isRecord).map((m) => ({ columnName: String(m.columnName), expression: String(m.expression) })) : [];
  if (!list.some((m) => m.columnName === TIME_COLUMN)) return 'mappings must map __time';
  return { inputSchema, format, mappings: list };
}

/** The Druid task for `data` (the rows, in the source format) into `table`, or the reason it is refused. */
export function buildTask(table: TableRecord, source: IngestSource, data: string, append: boolean): Record<string, unknown> | string {
  let timestampSpec: Record<string, unknown> | undefined;
  const dimensions: Record<string, unknown>[] = [];
  const transforms: Record<string, unknown>[] = [];
  for (const { columnName, expression } of source.mappings) {
    const text = expression.trim();
    if (columnName === TIME_COLUMN) {
      const fn = TIME_FUNCTION.exec(text);
      const id = IDENTIFIER.exec(text);
      const column = fn?.[2] ?? id?.[1];
      if (column === undefined) return `__time: expression ${text} is not supported here (use "col", TIME_PARSE("col") or MILLIS_TO_TIMESTAMP("col"))`;
      timestampSpec = { column: column.replaceAll('""', '"'), format: fn?.[1]?.toUpperCase() === 'MILLIS_TO_TIMESTAMP' ? 'millis' : 'auto' };
      continue;
    }
    const declared = table.schema.find((c) => c.name === columnName);
    if (table.schemaMode === 'strict' && declared === undefined) return `column ${columnName} is not in the schema of strict table ${table.name}`;
    const id = IDENTIFIER.exec(text)?.[1]?.replaceAll('""', '"');
    if (id !== columnName) transforms.push({ type: 'expression', name: columnName, expression: text });
    const inputType = source.inputSchema.find((c) => c.name === id)?.dataType;
    dimensions.push({ type: DIMENSION_TYPES[declared?.dataType ?? inputType ?? 'string'] ?? 'string', name: columnName });
  }
  return {
    type: 'index_parallel',
    spec: {
      dataSchema: {
        dataSource: table.name,
        timestampSpec,
        dimensionsSpec: { dimensions },
        transformSpec: { transforms },
        granularitySpec: { segmentGranularity: segmentGranularity(table.partitioningGranularity), queryGranularity: 'none', rollup: false },
      },
      ioConfig: {
        type: 'index_parallel',
        inputSource: { type: 'inline', data },
        inputFormat: source.format === 'csv' ? { type: 'csv', findColumnsFromHeader: true } : { type: 'json' },
        appendToExisting: append,
      },
      tuningConfig: { type: 'index_parallel', maxNumConcurrentSubTasks: 1 },
    },
  };
}

function segmentGranularity(granularity: string): string {
  return GRANULARITY[granularity] ?? granularity.toUpperCase();
}
