import { describe, expect, it } from 'vitest';
import { PlanCache } from '../../../src/catalog/plan-cache.js';

/** Runs `key` twice, so that it has a named statement. */
function prepare(cache: PlanCache, key: string): string {
  expect(cache.lookup(key)).toEqual({ name: '', state: 'once' });
  const { name, state } = cache.lookup(key);
  expect(state).toBe('parse');
  return name;
}

describe('PlanCache', () => {
  it('runs a text on the unnamed statement first, names it the second time, then reuses it', () => {
    const cache = new PlanCache(4);
    const a = prepare(cache, 'a');
    expect(a).not.toBe('');
    expect(cache.has('a')).toBe(true);
    expect(cache.lookup('a')).toEqual({ name: a, state: 'ready' });
    expect(prepare(cache, 'b')).not.toBe(a);
  });

  it('retires the least recently used statement beyond its capacity', () => {
    const cache = new PlanCache(2);
    const a = prepare(cache, 'a');
    const b = prepare(cache, 'b');
    cache.lookup('a');
    prepare(cache, 'c');
    expect(cache.size).toBe(2);
    expect(cache.takeRetired()).toEqual([b]);
    expect(cache.takeRetired()).toEqual([]);
    expect(cache.lookup('a')).toEqual({ name: a, state: 'ready' });
    expect(cache.lookup('b').state).toBe('once');
  });

  it('clear() retires every statement and forgets seen texts; forget() drops a key without retiring it', () => {
    const cache = new PlanCache(8);
    const a = prepare(cache, 'a');
    const b = prepare(cache, 'b');
    cache.forget('b');
    expect(cache.takeRetired()).toEqual([]);
    expect(prepare(cache, 'b')).not.toBe(b);
    cache.lookup('seen');
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.takeRetired()).toHaveLength(2);
    expect(cache.lookup('seen').state).toBe('once');
    expect(prepare(cache, 'a')).not.toBe(a);
  });
});
