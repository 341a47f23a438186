import { loadModule, parseSync, hasSqlDetails } from 'libpg-query';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { classify } from './classify.js';
import { ByteOffsetMap, characterPosition } from './offsets.js';
import type { ParsedStatement } from './types.js';

let loaded: Promise<void> | undefined;

/**
 * Parsed statements by query text, least recently used first. Tools send the same texts again and
 * again (every catalog query on connect, dashboard panels on refresh), and parsing a 1 KB catalog
 * query takes libpg-query about 0.4 ms. Entries are frozen, so no caller can change a shared one.
 */
const cache = new Map<string, readonly ParsedStatement[]>();
const CACHE_ENTRIES = 512;
/** Longer texts are parsed every time rather than kept. */
const CACHE_MAX_TEXT = 64 * 1024;

/** Loads libpg-query's WASM module; call once before parseSql (later calls share the first). */
export function initParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

interface RawStmt {
  stmt?: Record<string, unknown>;
  stmt_location?: number;
  stmt_len?: number;
}

/**
 * Splits a query string into its statements and routes each one.
 *
 * An empty or comment-only string (also `;` alone) returns [], for which the caller sends
 * EmptyQueryResponse (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SIMPLE-QUERY).
 * A syntax error throws PgError 42601 with the 1-based character position in `text`.
 */
export function parseSql(text: string): readonly ParsedStatement[] {
  const cached = cache.get(text);
  if (cached !== undefined) {
    cache.delete(text);
    cache.set(text, cached);
    return cached;
  }
  const statements = deepFreeze(parseUncached(text));
  if (text.length <= CACHE_MAX_TEXT) {
    cache.set(text, statements);
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  }
  return statements;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function parseUncached(text: string): ParsedStatement[] {
  let result: { stmts?: RawStmt[] };
  // libpg-query rejects an all-whitespace string; PostgreSQL treats it as an empty query.
  if (text.trim() === '') return [];
  try {
    result = parseSync(text) as { stmts?: RawStmt[] };
  } catch (error) {
    throw syntaxError(error);
  }
  const offsets = new ByteOffsetMap(text);
  const statements: ParsedStatement[] = [];
  for (const raw of result.stmts ?? []) {
    if (raw.stmt === undefined) continue;
    const startByte = raw.stmt_location ?? 0;
    const start = offsets.toStringOffset(startByte);
    const end = raw.stmt_len ? offsets.toStringOffset(startByte + raw.stmt_len) : text.length;
    const ast = relocate(raw.stmt, offsets) as Record<string, unknown>;
    const nodeType = Object.keys(ast)[0] ?? '';
    const stmtText = text.slice(start, end);
    const skipped = stmtText.length - stmtText.trimStart().length;
    statements.push({
      route: classify(ast, (location) => characterPosition(text, location)),
      ast,
      text: stmtText.slice(skipped),
      offset: start + skipped,
      charsBefore: characterPosition(text, start + skipped) - 1,
      nodeType,
    });
  }
  return statements;
}

function relocate(node: unknown, offsets: ByteOffsetMap): unknown {
  if (Array.isArray(node)) return node.map((item) => relocate(item, offsets));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === 'location' && typeof value === 'number' && value >= 0
        ? offsets.toStringOffset(value)
        : relocate(value, offsets);
  }
  return out;
}

function syntaxError(error: unknown): PgError {
  if (!hasSqlDetails(error) || error.sqlDetails === undefined) {
    return new PgError(SqlState.SyntaxError, error instanceof Error ? error.message : String(error));
  }
  const { message, cursorPosition } = error.sqlDetails;
  // cursorPosition is PostgreSQL's own error cursor minus one: a 0-based count of characters.
  return new PgError(SqlState.SyntaxError, message, { position: cursorPosition + 1, cause: error });
}
