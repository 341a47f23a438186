import { PgError, unsupported } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import { describeStatementTag } from '../../sql/tag.js';
import type { ParsedStatement } from '../../sql/types.js';

/**
 * The errors of write statements that do not ingest: 25006 when the session is read-only, and
 * 0A000 with a hint for what Druid tables do not do (docs/writes.md).
 */

/** PostgreSQL's command name in "cannot execute %s in a read-only transaction" (CreateCommandName). */
export function commandName(stmt: ParsedStatement): string {
  if (stmt.nodeType === 'SelectStmt') return 'SELECT INTO';
  if (stmt.nodeType === 'CopyStmt') return 'COPY FROM';
  return describeStatementTag(stmt);
}

export function readOnlyError(stmt: ParsedStatement): PgError {
  return new PgError(SqlState.ReadOnlySqlTransaction, `cannot execute ${commandName(stmt)} in a read-only transaction`);
}

const APPEND_ONLY = 'Druid tables are append-only through polaris-pg: INSERT, COPY FROM and CREATE TABLE AS append rows (docs/writes.md).';

const HINTS: Readonly<Record<string, string>> = {
  UpdateStmt: APPEND_ONLY,
  DeleteStmt: APPEND_ONLY,
  MergeStmt: APPEND_ONLY,
  TruncateStmt: `${APPEND_ONLY} Drop a datasource's data with the Druid console or the Coordinator API.`,
  DropStmt: 'Drop a Druid datasource with the Druid console or the Coordinator API (mark its segments unused, then kill them).',
  SelectStmt: 'Use CREATE TABLE ... AS SELECT.',
  CreateStmt: 'Druid has no empty tables: create one with CREATE TABLE ... AS SELECT or AS VALUES (docs/writes.md).',
};

/** 0A000 for a write statement that is not an ingestion. */
export function refusal(stmt: ParsedStatement): PgError {
  return unsupported(commandName(stmt), HINTS[stmt.nodeType] ?? APPEND_ONLY);
}

/** 0A000 for a second write in one transaction block: ingestion cannot be rolled back. */
export function secondWriteInBlock(stmt: ParsedStatement): PgError {
  return new PgError(SqlState.FeatureNotSupported, `${commandName(stmt)} after another write in the same transaction block is not supported by polaris-pg`, {
    hint: 'Each write is one ingestion job that commits on its own and cannot be rolled back: run writes outside BEGIN, or one per block.',
  });
}
