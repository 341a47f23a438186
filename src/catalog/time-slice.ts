/**
 * The catalog's statement time slice. Catalog calls of all sessions run one at a time on one
 * engine, and PGlite cannot be interrupted inside a statement (PostgreSQL's statement_timeout does
 * not fire in WebAssembly: `SET statement_timeout = 200` then a 25 s generate_series count ran to
 * its end, measured 2026-12-07). So a client statement that has run for the slice while another
 * call waits for the engine is ended by ending the engine's worker (pglite-worker.ts); the statement
 * fails with 57014 and the waiting call starts the engine afresh from its seed (docs/catalog.md).
 * A statement nobody waits for runs on, up to --catalog-timeout-ms.
 */

/**
 * The slice unless configured (--catalog-slice-ms); 0 turns it off. Wall time, so it stays above
 * legitimate catalog statements on a loaded machine: the longest BI-tool catalog statement of
 * test/catalog/support/client-queries.ts took 0.9 s at load average 19 on 2 cores (docs/catalog.md).
 */
export const DEFAULT_CATALOG_SLICE_MS = 2000;

interface Running {
  startedAt: number;
  preempt: () => void;
}

export class TimeSlice {
  readonly #sliceMs: number;
  #waiting = 0;
  #running: Running | null = null;
  #timer: NodeJS.Timeout | null = null;

  /** sliceMs: how long a client statement may hold the engine while others wait; 0: without end. */
  constructor(sliceMs: number) {
    this.#sliceMs = sliceMs;
  }

  get sliceMs(): number {
    return this.#sliceMs;
  }

  /** A call waits for the engine; call the returned function once it has the engine (or gave up). */
  wait(): () => void {
    this.#waiting++;
    this.#arm();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#waiting--;
    };
  }

  /**
   * A client statement holds the engine: `preempt` is called once it has run for the slice while
   * a call waits. Call the returned function when the statement ended.
   */
  run(preempt: () => void): () => void {
    const running: Running = { startedAt: performance.now(), preempt };
    this.#running = running;
    this.#arm();
    return () => {
      if (this.#running !== running) return;
      this.#running = null;
      this.#disarm();
    };
  }

  /** Sets the timer for the running statement's slice, once a call waits. */
  #arm(): void {
    const running = this.#running;
    if (running === null || this.#waiting === 0 || this.#timer !== null || this.#sliceMs <= 0) return;
    const left = running.startedAt + this.#sliceMs - performance.now();
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        if (this.#running === running && this.#waiting > 0) {
          this.#running = null;
          running.preempt();
        }
      },
      Math.max(0, left),
    );
  }

  #disarm(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
