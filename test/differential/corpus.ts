import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeBody, nodeType } from '../../src/sql/ast.js';
import { parseSql } from '../../src/sql/parser.js';

/**
 * The corpus: test/differential/corpus/*.sql. Each query ends with `;` at the end of a line;
 * `--` comment lines are dropped. Every query must give a deterministic answer on PostgreSQL:
 * a top-level ORDER BY must be total (no ties), and LIMIT appears only after such an ORDER BY.
 */
export interface CorpusQuery {
  /** `file.sql#n`, n counting from 1 within the file. */
  id: string;
  sql: string;
  /** True when the statement has an ORDER BY at top level: rows compare in order. */
  ordered: boolean;
}

export interface KnownDifference {
  sql: string;
  reason: string;
  /** Time zones the difference shows in; all when absent. */
  timeZones?: string[];
}

const CORPUS_DIR = join(import.meta.dirname, 'corpus');

export function normalizeSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

export function loadCorpus(): CorpusQuery[] {
  const files = readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.sql')).sort();
  return files.flatMap((file) => splitQueries(readFileSync(join(CORPUS_DIR, file), 'utf8')).map((sql, i) => ({
    id: `${file}#${i + 1}`,
    sql,
    ordered: isOrdered(sql),
  })));
}

function splitQueries(text: string): string[] {
  const queries: string[] = [];
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trimStart().startsWith('--') || (current.length === 0 && line.trim() === '')) continue;
    current.push(line);
    if (line.trimEnd().endsWith(';')) {
      queries.push(current.join('\n').trimEnd().replace(/;$/, ''));
      current = [];
    }
  }
  if (current.join('').trim() !== '') throw new Error(`unterminated corpus query: ${current.join('\n')}`);
  return queries;
}

function isOrdered(sql: string): boolean {
  const stmt = parseSql(sql)[0];
  if (stmt === undefined) return false;
  const top = nodeType(stmt.ast) === 'ExplainStmt' ? nodeBody(stmt.ast).query : stmt.ast;
  return nodeBody(top).sortClause !== undefined;
}

export function loadKnownDifferences(): Map<string, KnownDifference> {
  const entries = JSON.parse(readFileSync(join(import.meta.dirname, 'known-differences.json'), 'utf8')) as KnownDifference[];
  return new Map(entries.map((e) => [normalizeSql(e.sql), e]));
}

/** floors.json: per corpus file, how many of its queries must answer (identical or float) in every zone. */
export function loadFloors(): Map<string, number> {
  return new Map(Object.entries(JSON.parse(readFileSync(join(import.meta.dirname, 'floors.json'), 'utf8')) as Record<string, number>));
}
