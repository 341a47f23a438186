/**
 * The query of a DECLARE statement, as the client wrote it. PostgreSQL's grammar is
 * `DECLARE cursor_name cursor_options CURSOR opt_hold FOR SelectStmt`: the name is one token and
 * neither the options nor WITH/WITHOUT HOLD contain FOR, so the query begins at the first token
 * after the first FOR keyword that follows the name. The tokens come from PostgreSQL's own lexer
 * (libpg-query's scan), so a FOR inside a quoted name, a comment or a literal is never taken for
 * the keyword. The parse tree's query node carries no location of its own.
 * https://www.postgresql.org/docs/current/sql-declare.html
 */
import { scanSync, type ScanToken } from 'libpg-query';
import { ByteOffsetMap } from './offsets.js';

/** Tokens that are comments, not part of the statement's grammar. */
const COMMENTS = new Set(['C_COMMENT', 'SQL_COMMENT']);
/** DECLARE and the cursor name come before the options. */
const NAME_TOKENS = 2;

function isFor(token: ScanToken): boolean {
  return token.keywordKind !== 0 && token.text.toUpperCase() === 'FOR';
}

/** The query text of a DECLARE statement's own text (ParsedStatement.text of a DeclareCursorStmt), or null. */
export function declaredQuery(declareText: string): string | null {
  const tokens = scanSync(declareText).tokens.filter((token) => !COMMENTS.has(token.tokenName));
  const forAt = tokens.findIndex((token, i) => i >= NAME_TOKENS && isFor(token));
  const first = forAt < 0 ? undefined : tokens[forAt + 1];
  if (first === undefined) return null;
  return declareText.slice(new ByteOffsetMap(declareText).toStringOffset(first.start));
}
