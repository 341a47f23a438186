import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import type { CopyFormat } from '../copy.js';

/**
 * COPY FROM input as PostgreSQL reads it (src/backend/commands/copyfromparse.c): records end at a
 * newline (\n or \r\n; in CSV not inside quotes), `\.` alone ends the data, and fields are split
 * by the delimiter with text-format backslash escapes or CSV quoting. NULL is recognised on the
 * field as written (in CSV only when unquoted). Written for this gateway rather than taken from
 * npm: the CSV parsers there (csv-parse, papaparse) have no notion of PostgreSQL's NULL string,
 * its escape character distinct from the quote or the `\.` end marker.
 */

/** A record with its starting line number (1-based, the header counted), for CONTEXT. */
export interface CopyRecord {
  line: number;
  text: string;
}

/** Splits decoded input into records; CSV records may span lines inside quotes. */
export class CopyRecordReader {
  private pending = '';
  private line = 1;
  private ended = false;

  constructor(private readonly format: CopyFormat) {}

  /** The complete records in the text so far. */
  push(text: string): CopyRecord[] {
    if (this.ended) return [];
    this.pending += text;
    const records: CopyRecord[] = [];
    let start = 0;
    let inQuote = false;
    let lines = 0;
    const { csv, quote, escape } = this.format;
    for (let i = 0; i < this.pending.length; i++) {
      const ch = this.pending[i];
      if (csv) {
        if (inQuote && ch === escape && (this.pending[i + 1] === quote || this.pending[i + 1] === escape) && escape !== quote) {
          i += 1;
          continue;
        }
        if (ch === quote) {
          inQuote = !inQuote;
          continue;
        }
      }
      if (ch !== '\n') continue;
      lines += 1;
      if (inQuote) continue;
      const end = i > start && this.pending[i - 1] === '\r' ? i - 1 : i;
      const record = this.pending.slice(start, end);
      start = i + 1;
      if (record === '\\.') {
        this.ended = true;
        break;
      }
      records.push({ line: this.line, text: record });
      this.line += lines;
      lines = 0;
    }
    this.pending = this.ended ? '' : this.pending.slice(start);
    return records;
  }

  /** The last record when the input does not end with a newline; 22P04 for an open CSV quote. */
  end(): CopyRecord[] {
    const rest = this.pending;
    this.pending = '';
    if (this.ended || rest === '' || rest === '\\.') return [];
    if (this.format.csv && [...rest].filter((c) => c === this.format.quote).length % 2 === 1 && this.format.escape === this.format.quote) {
      throw new PgError(SqlState.BadCopyFileFormat, 'unterminated CSV quoted field', { where: `COPY, line ${this.line}` });
    }
    return [{ line: this.line, text: rest.endsWith('\r') ? rest.slice(0, -1) : rest }];
  }
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** The fields of a text-format record (null for the NULL string). */
export function textFields(record: string, format: CopyFormat): Array<string | null> {
  const fields: Array<string | null> = [];
  let raw = '';
  let value = '';
  for (let i = 0; i <= record.length; i++) {
    const ch = record[i];
    if (ch === undefined || ch === format.delimiter) {
      fields.push(raw === format.null ? null : value);
      raw = '';
      value = '';
      continue;
    }
    if (ch !== '\\' || i + 1 >= record.length) {
      raw += ch;
      value += ch;
      continue;
    }
    const next = record[i + 1] as string;
    raw += ch + next;
    i += 1;
    const octal = /^[0-7]{1,3}/.exec(record.slice(i, i + 3));
    const hex = next === 'x' ? /^[0-9a-fA-F]{1,2}/.exec(record.slice(i + 1, i + 3)) : null;
    if (octal !== null) {
      value += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
      raw += octal[0].slice(1);
      i += octal[0].length - 1;
    } else if (hex !== null) {
      value += String.fromCharCode(parseInt(hex[0], 16));
      raw += hex[0];
      i += hex[0].length;
    } else {
      value += TEXT_ESCAPES[next] ?? next;
    }
  }
  return fields;
}

/** The fields of a CSV record (null for an unquoted NULL string). */
export function csvFields(record: string, format: CopyFormat): Array<string | null> {
  const fields: Array<string | null> = [];
  let value = '';
  let quoted = false;
  let inQuote = false;
  for (let i = 0; i <= record.length; i++) {
    const ch = record[i];
    if (ch === undefined || (!inQuote && ch === format.delimiter)) {
      fields.push(!quoted && value === format.null ? null : value);
      value = '';
      quoted = false;
      continue;
    }
    if (inQuote) {
      const next = record[i + 1];
      if (ch === format.escape && (next === format.quote || next === format.escape) && next !== undefined) {
        value += next;
        i += 1;
      } else if (ch === format.quote) {
        inQuote = false;
      } else {
        value += ch;
      }
    } else if (ch === format.quote) {
      inQuote = true;
      quoted = true;
    } else {
      value += ch;
    }
  }
  if (inQuote) throw new PgError(SqlState.BadCopyFileFormat, 'unterminated CSV quoted field');
  return fields;
}
