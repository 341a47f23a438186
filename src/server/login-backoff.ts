/**
 * Failed logins per client address, with a growing delay before the failure is reported, so
 * password guessing from one address slows down (as PostgreSQL's auth_delay module does,
 * https://www.postgresql.org/docs/current/auth-delay.html, but growing with repeated failures).
 */
export interface BackoffPolicy {
  /** Failures from one address answered without delay. */
  freeFailures: number;
  /** Delay after the first failure past the free ones; it doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** An address with no failure for this long starts again from zero. */
  forgetAfterMs: number;
  /** Addresses tracked at once; the least recently failed is dropped past this. */
  maxAddresses: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  freeFailures: 3,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  forgetAfterMs: 10 * 60_000,
  maxAddresses: 10_000,
};

interface Record {
  failures: number;
  last: number;
}

export class LoginBackoff {
  /** In order of last failure: the first entry is the least recent. */
  private readonly records = new Map<string, Record>();

  constructor(
    private readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a failure and returns how long to wait before reporting it, in milliseconds. */
  failed(address: string): number {
    const at = this.now();
    const previous = this.records.get(address);
    const failures = previous !== undefined && at - previous.last < this.policy.forgetAfterMs ? previous.failures + 1 : 1;
    this.records.delete(address);
    this.records.set(address, { failures, last: at });
    if (this.records.size > this.policy.maxAddresses) this.records.delete(this.records.keys().next().value as string);
    const over = failures - this.policy.freeFailures;
    if (over <= 0) return 0;
    return Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** Math.min(over - 1, 30));
  }

  /** A successful login from the address clears its failures. */
  succeeded(address: string): void {
    this.records.delete(address);
  }
}
