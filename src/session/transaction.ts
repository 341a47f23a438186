import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { TransactionStatus } from '../wire/messages.js';

/**
 * Transaction block state. The backend is read-only and has no transactions; the gateway keeps
 * PostgreSQL's visible semantics: I/T/E status, savepoints, and the scope of SET and cursors.
 * https://www.postgresql.org/docs/current/protocol-flow.html (ReadyForQuery)
 */
export class TransactionState {
  status: TransactionStatus = 'I';
  private savepoints: string[] = [];

  get inBlock(): boolean {
    return this.status !== 'I';
  }

  begin(): void {
    this.status = 'T';
    this.savepoints = [];
  }

  end(): void {
    this.status = 'I';
    this.savepoints = [];
  }

  fail(): void {
    if (this.status === 'T') this.status = 'E';
  }

  /** Raises 25P02 for statements other than COMMIT/ROLLBACK in a failed block. */
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
