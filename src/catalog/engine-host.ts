/**
 * The one PGlite instance behind every catalog session: lazy start (from a data directory, the
 * seed or initdb), one queue for all access, and the time and size limits of each call. A call that
 * fails PGlite ends it; the next call starts a new one. The parts that keep state in PGlite
 * (session-switch.ts, mirror-schemas.ts, session-objects.ts) load it at start and forget it on a loss.
 */
import { PgError } from '../errors/pg-error.js';
import { relayedSqlState, SqlState } from '../errors/sqlstate.js';
import { codeOf, errorFields, readyStatus, splitFrames } from '../wire/backend-reader.js';
import { BackendWriter } from '../wire/backend-writer.js';
import { BackendCode, ErrorFieldCode } from '../wire/constants.js';
import { FrontendWriter } from '../wire/frontend-writer.js';
import { BOOTSTRAP_SQL } from './bootstrap.js';
import { managementSql } from './management.js';
import { quoteIdent } from './mirror.js';
import { CatalogPreempted, CatalogTimeout, INTERNAL_TIMEOUT_MS, MAX_REPLY_BYTES, PgliteWorker } from './pglite-worker.js';
import { discardSeed, readSeed, seedPath, writeSeed } from './seed.js';
import { SUPERUSER_SQL } from './session-state.js';
import { TimeSlice } from './time-slice.js';

/** ReadyForQuery status outside a transaction block. */
const IDLE = 'I';
/**
 * Server settings for the next start (postgresql.auto.conf: PGlite's postgresqlconf option would
 * replace postgresql.conf, and with it initdb's TimeZone and locale lines). shared_buffers:
 * PostgreSQL's default 128MB holds far more than a catalog of empty tables (500 tables of 30
 * columns make about 3 MB of pg_attribute), and PGlite reads pages from its in-memory file system,
 * so a miss costs a copy, not I/O; 8MB made the engine 25-75 MB smaller than 32MB did
 * (docs/performance.md). Starts from the seed or a data directory have it; the very first one does not.
 * https://www.postgresql.org/docs/current/runtime-config-resource.html#GUC-SHARED-BUFFERS
 */
const SERVER_SETTINGS_SQL = "ALTER SYSTEM SET shared_buffers = '8MB';";

export interface EngineHostOptions {
  dataDir?: string;
  /** Longest a catalog call may run; past it the engine is restarted (pglite-worker.ts). */
  timeoutMs: number;
  /** How long a client statement may hold the engine while other calls wait (time-slice.ts); 0: no slice. */
  sliceMs: number;
  /** Largest catalog reply (default MAX_REPLY_BYTES); a larger one fails with 54000. */
  maxReplyBytes?: number;
  /** Where the seed of an in-memory instance is kept (seed.ts); null: always run initdb. */
  cacheDir: string | null;
  /** Schema name clients see for the mirror of their database. */
  schemaName: string;
  /** Whether the catalog holds the management views of schema polaris (management.ts). */
  managementViews?: boolean;
}

/** The reply in place of one larger than the limit. */
function overflowReply(limit: number): Buffer {
  const message = `catalog result exceeds ${limit} bytes`;
  return new BackendWriter().errorResponse({ severity: 'ERROR', code: SqlState.ProgramLimitExceeded, message }).flush();
}

/** Why the engine was ended: a statement past the time limit, past its time slice, or PGlite failed. */
export type RestartReason = 'timeout' | 'slice' | 'failure';

function restartReason(error: unknown): RestartReason {
  if (error instanceof CatalogTimeout) return 'timeout';
  return error instanceof CatalogPreempted ? 'slice' : 'failure';
}

/** Throws the first ErrorResponse of an engine-internal reply as a PgError. */
function throwOnError(frames: readonly Buffer[], context: string): void {
  const error = frames.find((f) => codeOf(f) === BackendCode.ErrorResponse);
  if (error === undefined) return;
  const fields = errorFields(error);
  throw new PgError(relayedSqlState(fields.get(ErrorFieldCode.Code)), `${context}: ${fields.get(ErrorFieldCode.Message) ?? ''}`);
}

export class EngineHost {
  readonly schemaName: string;
  readonly #dataDir: string | undefined;
  readonly #cacheDir: string | null;
  readonly #timeoutMs: number;
  readonly #maxReplyBytes: number;
  readonly #slice: TimeSlice;
  readonly #managementViews: boolean;
  #starting: Promise<PgliteWorker> | null = null;
  #db: PgliteWorker | null = null;
  #queue: Promise<void> = Promise.resolve();
  /** The role PGlite's session runs as after the last request's prelude; null when unknown. */
  role: string | null = null;
  /** Told when a failed engine was ended (#lose). */
  onRestart: ((reason: RestartReason, detail: string) => void) | null = null;
  readonly #started: (() => Promise<void>)[] = [];
  readonly #lost: (() => void)[] = [];
  /** Encodes the messages sent to PGlite. */
  readonly #out = new FrontendWriter();

  constructor(options: EngineHostOptions) {
    this.schemaName = options.schemaName;
    this.#dataDir = options.dataDir;
    this.#cacheDir = options.cacheDir;
    this.#timeoutMs = options.timeoutMs;
    this.#maxReplyBytes = options.maxReplyBytes ?? MAX_REPLY_BYTES;
    this.#slice = new TimeSlice(options.sliceMs);
    this.#managementViews = options.managementViews ?? false;
  }

  /** Whether PGlite keeps its data directory across gateway restarts. */
  get persistent(): boolean {
    return this.#dataDir !== undefined;
  }

  /** Runs `load` after each start, in registration order, to read state kept in PGlite. */
  whenStarted(load: () => Promise<void>): void {
    this.#started.push(load);
  }

  /** Runs `forget` when a failed engine is ended: what it held is gone. */
  whenLost(forget: () => void): void {
    this.#lost.push(forget);
  }

  /** Starts PGlite once; later calls share the same start (a failed start is retried). */
  ready(): Promise<PgliteWorker> {
    this.#starting ??= this.#start().catch((error: unknown) => {
      this.#starting = null;
      throw error;
    });
    return this.#starting;
  }

  async #start(): Promise<PgliteWorker> {
    const db = await this.#open(`${BOOTSTRAP_SQL}\n${managementSql(this.#managementViews)}\nCREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schemaName)};`);
    for (const load of this.#started) await load();
    return db;
  }

  /**
   * A started PGlite with the bootstrap applied: from the data directory, or from the seed, or
   * from initdb (then the seed is written for the next start).
   */
  async #open(bootstrap: string): Promise<PgliteWorker> {
    const seed = this.#dataDir === undefined && this.#cacheDir !== null ? seedPath(this.#cacheDir, `${bootstrap}\n${SERVER_SETTINGS_SQL}`) : null;
    const seeded = seed === null ? null : await readSeed(seed);
    if (seed !== null && seeded !== null) {
      try {
        this.#db = await PgliteWorker.start({ seed: seeded, maxReplyBytes: this.#maxReplyBytes });
        return this.#db;
      } catch {
        await discardSeed(seed);
      }
    }
    const db = await PgliteWorker.start({ maxReplyBytes: this.#maxReplyBytes, ...(this.#dataDir === undefined ? {} : { dataDir: this.#dataDir }) });
    this.#db = db;
    await this.sql(bootstrap, 'catalog bootstrap');
    // ALTER SYSTEM cannot run in the bootstrap's implicit transaction.
    await this.sql(SERVER_SETTINGS_SQL, 'server settings');
    if (seed !== null) await writeSeed(seed, await db.dump());
    return db;
  }

  /** Runs fn alone: no other catalog call reaches PGlite until it settles. */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await this.ready();
    const previous = this.#queue;
    let release: () => void = () => undefined;
    this.#queue = new Promise<void>((resolve) => (release = resolve));
    const waited = this.#slice.wait();
    try {
      await previous;
    } finally {
      waited();
    }
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /**
   * Sends frontend messages and returns every reply frame; leaves PGlite outside any transaction.
   * A call that runs past the time limit, or kills PGlite, ends the engine: it starts afresh on
   * the next call, and this one fails with 57014 or XX000.
   */
  raw(bytes: Buffer): Promise<Buffer[]> {
    return this.#exchange(bytes, this.#timeoutMs, false);
  }

  /**
   * A client's statement: as raw(), and ended with 57014 once it has run for the time slice while
   * another call waits for the engine (time-slice.ts).
   */
  statement(bytes: Buffer): Promise<Buffer[]> {
    return this.#exchange(bytes, this.#timeoutMs, true);
  }

  async #exchange(bytes: Buffer, timeoutMs: number, sliced: boolean): Promise<Buffer[]> {
    // After a loss (#lose), a call already queued starts the new engine.
    const db = this.#db ?? (await this.ready());
    const ran = sliced ? this.#slice.run(() => db.preempt(this.#slice.sliceMs)) : null;
    try {
      const reply = await db.exchange(bytes, timeoutMs);
      ran?.();
      // An oversized reply was dropped whole, its ReadyForQuery too: roll back whatever it left open.
      if (reply === null) await db.exchange(this.#out.query('ROLLBACK').flush(), timeoutMs);
      const frames = reply === null ? [overflowReply(this.#maxReplyBytes)] : splitFrames(reply);
      const status = readyStatus(frames);
      if (status !== null && status !== IDLE) await db.exchange(this.#out.query('ROLLBACK').flush(), timeoutMs);
      return frames;
    } catch (error) {
      ran?.();
      const lost = this.#db === db;
      this.#lose(db);
      const detail = error instanceof Error ? error.message : String(error);
      if (lost) this.onRestart?.(restartReason(error), detail);
      if (error instanceof CatalogPreempted) {
        throw new PgError(SqlState.QueryCanceled, "canceling statement due to the catalog's statement time slice", {
          hint: `Another session was waiting for the catalog engine: a catalog statement may hold it for ${this.#slice.sliceMs} ms while others wait (--catalog-slice-ms); the catalog engine was restarted.`,
        });
      }
      if (error instanceof CatalogTimeout) {
        throw new PgError(SqlState.QueryCanceled, 'canceling statement due to catalog timeout', {
          hint: `A catalog statement may run for ${timeoutMs} ms (--catalog-timeout-ms); the catalog engine was restarted.`,
        });
      }
      throw new PgError(SqlState.InternalError, `the catalog engine failed and was restarted: ${detail}`);
    }
  }

  /** Sends one simple Query (client text: the client's time limit applies). */
  query(text: string): Promise<Buffer[]> {
    return this.raw(this.#out.query(text).flush());
  }

  /** Forgets a failed engine and everything it held; the next call starts a new one. */
  #lose(db: PgliteWorker): void {
    db.terminate();
    if (this.#db !== db) return;
    this.#db = null;
    this.#starting = null;
    this.role = null;
    for (const forget of this.#lost) forget();
  }

  /** Engine-internal SQL (trusted: the internal time limit applies); throws on ErrorResponse. */
  async sql(text: string, context: string): Promise<Buffer[]> {
    const frames = await this.#exchange(this.#out.query(text).flush(), INTERNAL_TIMEOUT_MS, false);
    throwOnError(frames, context);
    return frames;
  }

  /** Engine-internal SQL run as the bootstrap superuser; the next request re-applies its role. */
  async asSuperuser(text: string, context: string): Promise<Buffer[]> {
    this.role = null;
    return this.sql(`${SUPERUSER_SQL}\n${text}`, context);
  }

  /** Runs `last` (engine-internal SQL before the stop), then stops PGlite. */
  async close(last: () => Promise<void>): Promise<void> {
    if (this.#starting === null) return;
    await this.exclusive(async () => {
      await last();
      await this.#db?.close();
      this.#db = null;
      this.#starting = null;
    });
  }
}
