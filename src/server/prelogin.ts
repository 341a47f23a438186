/** A connection that has not logged in yet, as the pre-login guard sees it. */
export interface PreLoginConnection {
  /** Closes the connection without a reply (it sent nothing we must answer, or too slowly). */
  evict(reason: 'startup-limit' | 'authentication-timeout'): void;
}

/**
 * Bounds what clients that have not logged in can hold: at most `limit` of them at once (the
 * oldest is closed to admit a new one, so a flood of silent sockets cannot lock real clients out:
 * a real client logs in within milliseconds, a silent one is pushed out by later arrivals), and
 * each must log in within `timeoutMs` (PostgreSQL's authentication_timeout,
 * https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-AUTHENTICATION-TIMEOUT).
 */
export class PreLoginGuard {
  /** In arrival order: the first entry is the oldest. */
  private readonly waiting = new Map<PreLoginConnection, NodeJS.Timeout>();

  constructor(
    private readonly limit: number,
    private readonly timeoutMs: number,
    private readonly onChange: (size: number) => void = () => undefined,
  ) {}

  get size(): number {
    return this.waiting.size;
  }

  /** Starts the login clock of a new connection, closing the oldest waiting one when full. */
  admit(connection: PreLoginConnection): void {
    while (this.waiting.size >= this.limit) {
      const oldest = this.waiting.keys().next().value as PreLoginConnection;
      this.release(oldest);
      oldest.evict('startup-limit');
    }
    const timer = setTimeout(() => {
      this.release(connection);
      connection.evict('authentication-timeout');
    }, this.timeoutMs);
    timer.unref();
    this.waiting.set(connection, timer);
    this.onChange(this.waiting.size);
  }

  /** The connection logged in or closed. */
  release(connection: PreLoginConnection): void {
    const timer = this.waiting.get(connection);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.waiting.delete(connection);
    this.onChange(this.waiting.size);
  }
}
