import { nodeBody, nodeType, str, type AstNode } from './ast.js';
import type { ParsedStatement } from './types.js';

/**
 * The verb of PostgreSQL's CommandComplete tag for a statement (without row counts), e.g.
 * 'SELECT', 'SET', 'BEGIN', 'DECLARE CURSOR'. Taken from PostgreSQL's CreateCommandTag
 * (src/backend/tcop/utility.c); EXECUTE reports the tag of the prepared statement, which the
 * caller knows, so it is 'EXECUTE' here.
 */
export function describeStatementTag(stmt: ParsedStatement | AstNode): string {
  const ast = 'ast' in stmt && 'nodeType' in stmt ? (stmt as ParsedStatement).ast : (stmt as AstNode);
  const type = nodeType(ast) ?? '';
  const body = nodeBody(ast);
  const fixed = FIXED_TAGS[type];
  if (fixed !== undefined) return fixed;
  switch (type) {
    case 'VariableSetStmt':
      return str(body.kind)?.startsWith('VAR_RESET') ? 'RESET' : 'SET';
    case 'TransactionStmt':
      return TRANSACTION_TAGS[str(body.kind) ?? ''] ?? 'BEGIN';
    case 'ClosePortalStmt':
      return body.portalname === undefined ? 'CLOSE CURSOR ALL' : 'CLOSE CURSOR';
    case 'FetchStmt':
      return body.ismove === true ? 'MOVE' : 'FETCH';
    case 'DiscardStmt':
      return DISCARD_TAGS[str(body.target) ?? ''] ?? 'DISCARD ALL';
    case 'DeallocateStmt':
      return body.name === undefined ? 'DEALLOCATE ALL' : 'DEALLOCATE';
    case 'CreateTableAsStmt':
      return str(body.objtype) === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
    case 'DropStmt':
      return `DROP ${DROP_OBJECTS[str(body.removeType) ?? ''] ?? 'TABLE'}`;
    default:
      return type.replace(/Stmt$/, '').toUpperCase();
  }
}

const FIXED_TAGS: Readonly<Record<string, string>> = {
  SelectStmt: 'SELECT',
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
  VariableShowStmt: 'SHOW',
  DeclareCursorStmt: 'DECLARE CURSOR',
  PrepareStmt: 'PREPARE',
  ExecuteStmt: 'EXECUTE',
  ListenStmt: 'LISTEN',
  UnlistenStmt: 'UNLISTEN',
  NotifyStmt: 'NOTIFY',
  ExplainStmt: 'EXPLAIN',
  CreateStmt: 'CREATE TABLE',
  ViewStmt: 'CREATE VIEW',
  CopyStmt: 'COPY',
  TruncateStmt: 'TRUNCATE TABLE',
};

const TRANSACTION_TAGS: Readonly<Record<string, string>> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT',
  TRANS_STMT_RELEASE: 'RELEASE',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

const DISCARD_TAGS: Readonly<Record<string, string>> = {
  DISCARD_ALL: 'DISCARD ALL',
  DISCARD_PLANS: 'DISCARD PLANS',
  DISCARD_SEQUENCES: 'DISCARD SEQUENCES',
  DISCARD_TEMP: 'DISCARD TEMP',
};

const DROP_OBJECTS: Readonly<Record<string, string>> = {
  OBJECT_TABLE: 'TABLE',
  OBJECT_VIEW: 'VIEW',
  OBJECT_INDEX: 'INDEX',
  OBJECT_SCHEMA: 'SCHEMA',
  OBJECT_SEQUENCE: 'SEQUENCE',
  OBJECT_FUNCTION: 'FUNCTION',
  OBJECT_TYPE: 'TYPE',
};
