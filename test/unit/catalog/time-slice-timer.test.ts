/**
 * When the catalog's time slice ends a statement (time-slice.ts): only once it has run for the
 * slice while another call waits, whichever came first.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimeSlice } from '../../../src/catalog/time-slice.js';

const SLICE_MS = 1000;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('TimeSlice', () => {
  it('a statement nobody waits for is never preempted', () => {
    const slice = new TimeSlice(SLICE_MS);
    const preempt = vi.fn();
    const ended = slice.run(preempt);
    vi.advanceTimersByTime(10 * SLICE_MS);
    ended();
    expect(preempt).not.toHaveBeenCalled();
  });

  it('a call that starts waiting early preempts the statement at the end of its slice', () => {
    const slice = new TimeSlice(SLICE_MS);
    const preempt = vi.fn();
    slice.run(preempt);
    vi.advanceTimersByTime(100);
    slice.wait();
    vi.advanceTimersByTime(SLICE_MS - 101);
    expect(preempt).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(preempt).toHaveBeenCalledTimes(1);
  });

  it('a call that starts waiting after the slice preempts the statement at once', () => {
    const slice = new TimeSlice(SLICE_MS);
    const preempt = vi.fn();
    slice.run(preempt);
    vi.advanceTimersByTime(5 * SLICE_MS);
    slice.wait();
    vi.advanceTimersByTime(0);
    expect(preempt).toHaveBeenCalledTimes(1);
  });

  it('a statement that ends, or a waiter that got the engine, preempts nothing', () => {
    const slice = new TimeSlice(SLICE_MS);
    const first = vi.fn();
    const ended = slice.run(first);
    const waited = slice.wait();
    vi.advanceTimersByTime(SLICE_MS / 2);
    ended();
    waited();
    const second = vi.fn();
    slice.run(second);
    vi.advanceTimersByTime(10 * SLICE_MS);
    expect(first).not.toHaveBeenCalled();
    expect(second).not.toHaveBeenCalled();
  });

  it('a slice of 0 never preempts', () => {
    const slice = new TimeSlice(0);
    const preempt = vi.fn();
    slice.run(preempt);
    slice.wait();
    vi.advanceTimersByTime(10 * SLICE_MS);
    expect(preempt).not.toHaveBeenCalled();
  });
});
