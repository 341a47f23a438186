/**
 * Result rows kept as Druid's arrayLines row text (one JSON array per line), so 64-bit integers and
 * every other value stay byte-exact, and rendered in the result formats of the API document's
 * ResultFormat: array, object, arrayLines, objectLines, csv
 * (https://druid.apache.org/docs/latest/api-reference/sql-api, "Responses").
 */

export const RESULT_FORMATS = ['object', 'array', 'objectLines', 'arrayLines', 'csv'] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];

/** The raw JSON texts of the elements of a JSON array text (no parsing of the values). */
export function splitJsonArray(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) start = i + 1;
    } else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) pushItem(items, text.slice(start, i));
    } else if (c === ',' && depth === 1) {
      pushItem(items, text.slice(start, i));
      start = i + 1;
    }
  }
  return items;
}

function pushItem(items: string[], raw: string): void {
  const item = raw.trim();
  if (item !== '' || items.length > 0) items.push(item);
}

/** The bytes of `rows` (arrayLines row texts) in `format`, for columns named `names`. */
export function renderRows(rows: readonly string[], names: readonly string[], format: ResultFormat): { contentType: string; body: string } {
  const objects = (): string[] => rows.map((row) => `{${splitJsonArray(row).map((v, i) => `${JSON.stringify(names[i] ?? `c${i}`)}:${v}`).join(',')}}`);
  switch (format) {
    case 'array':
      return { contentType: 'application/json', body: `[${rows.join(',')}]` };
    case 'object':
      return { contentType: 'application/json', body: `[${objects().join(',')}]` };
    case 'arrayLines':
      return { contentType: 'text/plain', body: rows.map((r) => `${r}\n`).join('') + '\n' };
    case 'objectLines':
      return { contentType: 'text/plain', body: objects().map((r) => `${r}\n`).join('') + '\n' };
    case 'csv':
      return { contentType: 'text/csv', body: rows.map((r) => `${splitJsonArray(r).map(csvValue).join(',')}\n`).join('') + '\n' };
  }
}

/** A CSV field: strings unquoted unless they need quotes (RFC 4180), null empty, others as JSON. */
function csvValue(raw: string): string {
  if (raw === 'null') return '';
  const text = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
