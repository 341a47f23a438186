import { PgError, unsupported } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { classify } from '../sql/classify.js';
import type { ParsedStatement } from '../sql/types.js';
import type { OutputContext } from '../types/pg-type.js';
import type { BackendWriter } from '../wire/backend-writer.js';
import type { ActiveQuery } from '../exec/data.js';
import type { ResultColumn } from '../exec/row-source.js';
import type { QueryRunner } from './runner.js';

type Node = Record<string, unknown>;

/** COPY ... TO STDOUT options. https://www.postgresql.org/docs/current/sql-copy.html */
export interface CopyFormat {
  csv: boolean;
  header: boolean;
  delimiter: string;
  null: string;
  quote: string;
  escape: string;
  /** Columns always quoted in CSV ('*' = all). */
  forceQuote: Set<string> | '*';
}

function optionText(def: Node): string | undefined {
  const arg = def.arg as Node | undefined;
  if (arg === undefined) return undefined;
  const str = arg.String as Node | undefined;
  if (str) return String(str.sval ?? '');
  const bool = arg.Boolean as Node | undefined;
  if (bool) return bool.boolval === true ? 'true' : 'false';
  const int = arg.Integer as Node | undefined;
  if (int) return String(int.ival ?? 0);
  return undefined;
}

function singleChar(name: string, value: string | undefined): string {
  if (value === undefined || [...value].length !== 1) {
    throw new PgError(SqlState.FeatureNotSupported, `COPY ${name} must be a single one-byte character`);
  }
  return value;
}

export function copyFormat(options: Node[]): CopyFormat {
  const f: CopyFormat = { csv: false, header: false, delimiter: '\t', null: '\\N', quote: '"', escape: '"', forceQuote: new Set() };
  let delimiterSet = false;
  let nullSet = false;
  let escapeSet = false;
  for (const item of options) {
    const def = item.DefElem as Node;
    const name = String(def.defname);
    const value = optionText(def);
    switch (name) {
      case 'format':
        if (value === 'binary') throw unsupported('COPY ... (FORMAT binary)', 'Use FORMAT text or FORMAT csv.');
        if (value !== 'text' && value !== 'csv') throw new PgError(SqlState.InvalidParameterValue, `COPY format "${value}" not recognized`);
        f.csv = value === 'csv';
        break;
      case 'header':
        f.header = value === undefined || ['true', 'on', '1'].includes(value.toLowerCase());
        break;
      case 'delimiter':
        f.delimiter = singleChar('delimiter', value);
        delimiterSet = true;
        break;
      case 'null':
        f.null = value ?? '';
        nullSet = true;
        break;
      case 'quote':
        f.quote = singleChar('quote', value);
        break;
      case 'escape':
        f.escape = singleChar('escape', value);
        escapeSet = true;
        break;
      case 'force_quote': {
        const arg = def.arg as Node | undefined;
        f.forceQuote = arg && 'A_Star' in arg ? '*' : new Set(((arg?.List as Node | undefined)?.items as Node[] | undefined ?? []).map((i) => String((i.String as Node).sval)));
        break;
      }
      case 'encoding':
        if (!/^utf-?8$/i.test(value ?? '')) throw unsupported(`COPY ENCODING '${value ?? ''}'`, 'polaris-pg writes UTF-8.');
        break;
      default:
        throw unsupported(`the COPY option ${name.toUpperCase()}`);
    }
  }
  if (f.csv) {
    if (!delimiterSet) f.delimiter = ',';
    if (!nullSet) f.null = '';
    if (!escapeSet) f.escape = f.quote;
  }
  return f;
}

const TEXT_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

function textField(value: string, format: CopyFormat): string {
  let out = '';
  for (const ch of value) {
    const esc = TEXT_ESCAPES[ch];
    out += esc ?? (ch === format.delimiter ? `\\${ch}` : ch);
  }
  return out;
}

function csvField(value: string, format: CopyFormat, force: boolean): string {
  const needs =
    force ||
    value === format.null ||
    value.includes(format.delimiter) ||
    value.includes(format.quote) ||
    value.includes('\n') ||
    value.includes('\r') ||
    value === '\\.';
  if (!needs) return value;
  let out = format.quote;
  for (const ch of value) out += ch === format.quote || ch === format.escape ? `${format.escape}${ch}` : ch;
  return out + format.quote;
}

/** One line of COPY output (with its newline) from PostgreSQL text values (null = SQL NULL). */
export function copyLine(values: ReadonlyArray<string | null>, columns: readonly string[], format: CopyFormat): string {
  const fields = values.map((v, i) => {
    if (v === null) return format.null;
    if (!format.csv) return textField(v, format);
    const name = columns[i] ?? '';
    return csvField(v, format, format.forceQuote === '*' || format.forceQuote.has(name));
  });
  return `${fields.join(format.delimiter)}\n`;
}

/** The SELECT a COPY statement reads: its query, or `SELECT cols FROM relation`. */
function innerSelect(node: Node): Node {
  if (node.query) return node.query as Node;
  const relation = node.relation as Node;
  const attlist = (node.attlist as Node[] | undefined) ?? [];
  const targets =
    attlist.length === 0
      ? [{ ResTarget: { val: { ColumnRef: { fields: [{ A_Star: {} }] } } } }]
      : attlist.map((a) => ({ ResTarget: { val: { ColumnRef: { fields: [a] } } } }));
  return { SelectStmt: { targetList: targets, fromClause: [{ RangeVar: relation }], limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE' } };
}

/** The query a COPY ... TO STDOUT statement reads and its output format; refuses other COPY forms. */
export function copySource(stmt: ParsedStatement): { query: ParsedStatement; format: CopyFormat } {
  const node = stmt.ast.CopyStmt as Node;
  if (node.is_from === true) throw unsupported('COPY FROM', 'polaris-pg is read-only.');
  if (node.filename !== undefined || node.is_program === true) {
    throw unsupported('COPY to a server file or program', 'Use COPY ... TO STDOUT (psql: \\copy).');
  }
  const select = innerSelect(node);
  return {
    query: { ...stmt, ast: select, nodeType: 'SelectStmt', route: classify(select) },
    format: copyFormat((node.options as Node[] | undefined) ?? []),
  };
}

/** Streams a query as COPY output: CopyOutResponse, one CopyData per row, CopyDone; returns the row count. */
export async function sendCopy(runner: QueryRunner, writer: BackendWriter, query: ActiveQuery, format: CopyFormat, ctx: OutputContext): Promise<number> {
  const columns: ResultColumn[] = query.source.columns;
  const names = columns.map((c) => c.name);
  writer.copyOutResponse(0, columns.map(() => 0));
  if (format.header) writer.copyData(copyLine(names, names, { ...format, forceQuote: new Set() }));
  const sent = await runner.stream(query, 0, (rows) => {
    for (const row of rows) {
      const values = columns.map((c, i) => {
        const v = row[i] ?? null;
        return v === null ? null : c.type.toText(v, ctx);
      });
      writer.copyData(copyLine(values, names, format));
    }
  });
  writer.copyDone();
  return sent.count;
}
