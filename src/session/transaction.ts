import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { ParsedStatement } from '../sql/types.js';
import type { TransactionStatus } from '../wire/messages.js';

/**
 * The statements PostgreSQL runs in a failed transaction block: COMMIT/END, ROLLBACK/ABORT and
 * ROLLBACK TO SAVEPOINT (IsTransactionExitStmt in src/backend/tcop/postgres.c; PREPARE
 * TRANSACTION is refused by the gateway in any state). The protocol's Sync and Close always run.
 */
const EXIT_KINDS: ReadonlySet<string> = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_ROLLBACK_TO']);

/**
 * Transaction block state. The backend is read-only and has no transactions; the gateway keeps
 * PostgreSQL's visible semantics: I/T/E status, savepoints, and the scope of SET and cursors.
 * https://www.postgresql.org/docs/current/protocol-flow.html (ReadyForQuery)
 */
export class TransactionState {
  status: TransactionStatus = 'I';
  /** A Query message of several statements runs them in one implicit transaction block. */
  implicit = false;
  private savepoints: string[] = [];
  /** Write statements run in this block: ingestion is not transactional, so a block may hold one. */
  writes = 0;

  get inBlock(): boolean {
    return this.status !== 'I';
  }

  begin(): void {
    this.status = 'T';
    this.savepoints = [];
    this.writes = 0;
  }

  end(): void {
    this.status = 'I';
    this.savepoints = [];
    this.writes = 0;
  }

  fail(): void {
    if (this.status === 'T') this.status = 'E';
  }

  /** The one 25P02 rule: in a failed block only the transaction exit statements run (null: an empty query). */
  admit(stmt: ParsedStatement | null): void {
    if (this.status !== 'E' || stmt === null) return;
    const node = stmt.ast.TransactionStmt as Record<string, unknown> | undefined;
    if (node === undefined || !EXIT_KINDS.has(String(node.kind))) this.checkNotFailed();
  }

  /** Raises 25P02 in a failed block. */
  checkNotFailed(): void {
    if (this.status === 'E') {
      throw new PgError(SqlState.InFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
    }
  }

  savepoint(name: string): void {
    if (!this.inBlock) throw new PgError(SqlState.NoActiveSqlTransaction, 'SAVEPOINT can only be used in transaction blocks');
    this.checkNotFailed();
    this.savepoints.push(name);
  }

  release(name: string): void {
    if (!this.inBlock) throw new PgError(SqlState.NoActiveSqlTransaction, 'RELEASE SAVEPOINT can only be used in transaction blocks');
    this.checkNotFailed();
    const at = this.savepoints.lastIndexOf(name);
    if (at < 0) throw new PgError('3B001', `savepoint "${name}" does not exist`);
    this.savepoints.length = at;
  }

  rollbackTo(name: string): void {
    if (!this.inBlock) throw new PgError(SqlState.NoActiveSqlTransaction, 'ROLLBACK TO SAVEPOINT can only be used in transaction blocks');
    const at = this.savepoints.lastIndexOf(name);
    if (at < 0) throw new PgError('3B001', `savepoint "${name}" does not exist`);
    this.savepoints.length = at + 1;
    this.status = 'T';
  }
}
