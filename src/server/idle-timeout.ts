import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { parseMilliseconds } from '../exec/guc-defs.js';
import type { TransactionStatus } from '../wire/messages.js';

/** The settings the idle timeouts read (the session's GUCs). */
export interface TimeoutSettings {
  get(name: string): string | undefined;
}

/**
 * idle_in_transaction_session_timeout and idle_session_timeout as PostgreSQL enforces them: armed
 * when the session waits for its client after ReadyForQuery (the first inside a transaction block,
 * failed or not; the second outside one), disarmed once the next message has arrived whole. On
 * expiry the connection ends with FATAL 25P03 or 57P05.
 * https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-IDLE-IN-TRANSACTION-SESSION-TIMEOUT
 */
export class IdleTimeout {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly expire: (error: PgError) => void) {}

  arm(settings: TimeoutSettings, status: TransactionStatus): void {
    this.disarm();
    const inBlock = status !== 'I';
    const name = inBlock ? 'idle_in_transaction_session_timeout' : 'idle_session_timeout';
    const ms = parseMilliseconds(name, settings.get(name) ?? '0');
    if (ms === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.expire(
        inBlock
          ? new PgError(SqlState.IdleInTransactionSessionTimeout, 'terminating connection due to idle-in-transaction timeout', { severity: 'FATAL' })
          : new PgError(SqlState.IdleSessionTimeout, 'terminating connection due to idle-session timeout', { severity: 'FATAL' }),
      );
    }, ms);
    this.timer.unref();
  }

  disarm(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
  }
}
