import { describe, expect, it, vi } from 'vitest';
import { LoginBackoff } from '../../../src/server/login-backoff.js';
import { PreLoginGuard, type PreLoginConnection } from '../../../src/server/prelogin.js';

function fakeConnection(): PreLoginConnection & { evicted: string[] } {
  const evicted: string[] = [];
  return { evicted, evict: (reason) => evicted.push(reason) };
}

describe('PreLoginGuard', () => {
  it('closes the oldest waiting connection to admit a new one past the limit', () => {
    const sizes: number[] = [];
    const guard = new PreLoginGuard(2, 60_000, (n) => sizes.push(n));
    const [a, b, c] = [fakeConnection(), fakeConnection(), fakeConnection()];
    guard.admit(a);
    guard.admit(b);
    guard.release(b);
    guard.admit(b);
    guard.admit(c);
    expect(a.evicted).toEqual(['startup-limit']);
    expect(b.evicted).toEqual([]);
    expect(c.evicted).toEqual([]);
    expect(guard.size).toBe(2);
    expect(Math.max(...sizes)).toBe(2);
  });

  it('closes a connection that has not logged in when its time is up, and not one that has', () => {
    vi.useFakeTimers();
    try {
      const guard = new PreLoginGuard(10, 1_000);
      const [slow, quick] = [fakeConnection(), fakeConnection()];
      guard.admit(slow);
      guard.admit(quick);
      vi.advanceTimersByTime(500);
      guard.release(quick);
      vi.advanceTimersByTime(600);
      expect(slow.evicted).toEqual(['authentication-timeout']);
      expect(quick.evicted).toEqual([]);
      expect(guard.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('LoginBackoff', () => {
  const policy = { freeFailures: 2, baseDelayMs: 100, maxDelayMs: 1_000, forgetAfterMs: 60_000, maxAddresses: 2 };

  it('delays failures past the free ones, doubling up to the cap, per address', () => {
    let now = 0;
    const backoff = new LoginBackoff(policy, () => now);
    expect([1, 2, 3, 4, 5, 6, 7].map(() => backoff.failed('10.0.0.1'))).toEqual([0, 0, 100, 200, 400, 800, 1_000]);
    expect(backoff.failed('10.0.0.2')).toBe(0);
    now += 60_000;
    expect(backoff.failed('10.0.0.1')).toBe(0);
  });

  it('forgets an address on a successful login, and keeps a bounded number of addresses', () => {
    const backoff = new LoginBackoff(policy, () => 0);
    for (let i = 0; i < 3; i++) backoff.failed('a');
    backoff.succeeded('a');
    expect(backoff.failed('a')).toBe(0);
    backoff.failed('a');
    backoff.failed('b');
    backoff.failed('c');
    // 'a' was the least recent of three with room for two: it starts again from zero.
    expect(backoff.failed('a')).toBe(0);
  });
});
