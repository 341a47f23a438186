/**
 * Prepared statements shared by every catalog session. Planning is most of the cost of a
 * catalog query in PGlite (1.1 ms of pgjdbc's getColumns with 500 tables, which then runs in
 * 0.3 ms), and tools send the same catalog texts on every connect, so a client's read-only SELECT
 * seen a second time is parsed into a named PGlite statement and later runs are Bind + Execute on
 * it. The first time it runs on PGlite's unnamed statement: a named one costs more to create
 * (its query tree and plan are copied to keep), which one-off texts would pay for nothing.
 *
 * Sharing is safe because PostgreSQL's plan cache re-analyzes a statement whose relations, types,
 * functions or schemas changed, or whose search_path differs, and checks privileges at every
 * execution. The key holds everything else parse analysis reads: the role ("$user" in
 * search_path), the database, the settings that shape literals (DateStyle, TimeZone,
 * standard_conforming_strings, ...) and the parameter types. The engine clears the cache after
 * DDL, so a statement that would no longer parse is never found here.
 * https://www.postgresql.org/docs/current/sql-prepare.html#SQL-PREPARE-NOTES
 */

/** Statements kept; the least recently used one is closed beyond this. */
export const PLAN_CACHE_CAPACITY = 256;
/** Texts remembered as seen once (keys only). */
const SEEN_CAPACITY = 4 * PLAN_CACHE_CAPACITY;
const NAME_PREFIX = 'polaris_shared_';

/**
 * How to run a statement: 'ready' on the named statement, 'parse' into the named statement first,
 * 'once' on the unnamed statement (parsed in the same request).
 */
export type PlanState = 'ready' | 'parse' | 'once';

export interface SharedStatement {
  /** The text PGlite parses: the client's. */
  sql: string;
  paramTypes: readonly number[];
  /** Whether it may read pg_stat_activity's rows (types.ts StatementFacts); not part of the key. */
  readsActivity: boolean;
}

export class PlanCache {
  readonly #capacity: number;
  /** Key -> PGlite statement name, least recently used first. */
  readonly #names = new Map<string, string>();
  /** Keys run once, oldest first. */
  readonly #seen = new Set<string>();
  /** Statements that left the cache and are still to be closed in PGlite. */
  #retired: string[] = [];
  #next = 1;

  constructor(capacity = PLAN_CACHE_CAPACITY) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#names.size;
  }

  /** Whether `key` has a named statement. */
  has(key: string): boolean {
    return this.#names.has(key);
  }

  /**
   * How to run `key` now and on which statement ('' for the unnamed one). After 'parse' the
   * caller reports a failed parse with forget().
   */
  lookup(key: string): { name: string; state: PlanState } {
    const known = this.#names.get(key);
    if (known !== undefined) {
      this.#names.delete(key);
      this.#names.set(key, known);
      return { name: known, state: 'ready' };
    }
    if (!this.#seen.delete(key)) {
      this.#seen.add(key);
      if (this.#seen.size > SEEN_CAPACITY) this.#seen.delete(this.#seen.values().next().value as string);
      return { name: '', state: 'once' };
    }
    const name = `${NAME_PREFIX}${this.#next++}`;
    this.#names.set(key, name);
    if (this.#names.size > this.#capacity) {
      const [oldestKey, oldestName] = this.#names.entries().next().value as [string, string];
      this.#names.delete(oldestKey);
      this.#retired.push(oldestName);
    }
    return { name, state: 'parse' };
  }

  /** Drops a key whose statement was not created (its Parse failed or never ran). */
  forget(key: string): void {
    this.#names.delete(key);
  }

  /** Retires every statement (after DDL, or when the database or its mirror changed). */
  clear(): void {
    this.#retired.push(...this.#names.values());
    this.#names.clear();
    this.#seen.clear();
  }

  /** Names to close in PGlite (Close of a statement that does not exist succeeds). */
  takeRetired(): string[] {
    const names = this.#retired;
    this.#retired = [];
    return names;
  }
}
