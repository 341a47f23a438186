import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection kept before it
 * collects again: 20% (V8's own factor is 1.1x to 4x, chosen by its heuristics). Gateway work
 * allocates short-lived strings per row and per message (a COPY FROM's rows, result rows); with
 * V8's factor their garbage grew the heap, and RSS, by 93-123 MiB during a 200 MiB COPY while the
 * live heap stayed near 26 MB (--trace-gc); at 20% RSS grew 26 MiB (docs/writes.md, "Memory").
 * heap_growing_percent is read each time V8 computes the next collection's limit, so setting it
 * once at start applies to every later collection of the process (and of its worker threads).
 * https://github.com/v8/v8/blob/main/src/flags/flag-definitions.h (heap_growing_percent)
 */
export const HEAP_GROWING_PERCENT = 20;

/** Sets the gateway process's heap growth (called once, before the gateway starts). */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
