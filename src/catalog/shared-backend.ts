/**
 * The one PGlite instance behind every catalog session: lazy start, one queue for all access, and
 * the backend-wide state that has to be switched between clients (database name, mirror schema,
 * GUCs, role, temp-table owners, pg_stat_activity rows).
 */
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { BOOTSTRAP_SQL, MIRRORS_TABLE, SIGNALS_TABLE } from './bootstrap.js';
import { errorFields, hasError, codeOf, readyStatus, splitFrames, textRows } from '../wire/backend-reader.js';
import { BackendWriter } from '../wire/backend-writer.js';
import { FrontendWriter } from '../wire/frontend-writer.js';
import { quoteIdent, quoteLiteral } from './mirror.js';
import { PlanCache, type SharedStatement } from './plan-cache.js';
import { CatalogTimeout, INTERNAL_TIMEOUT_MS, MAX_REPLY_BYTES, PgliteWorker } from './pglite-worker.js';
import { discardSeed, readSeed, seedPath, writeSeed } from './seed.js';
import { activitySql, APPLIED_SETTINGS, desiredSettings, parseContextKey, setAuthorizationSql, settingsSql, SUPERUSER_SQL } from './session-state.js';
import type { CatalogSessionInfo, SessionActivity } from './types.js';
import { BackendCode, ErrorFieldCode } from '../wire/constants.js';

/** ReadyForQuery status outside a transaction block. */
const IDLE = 'I';
/**
 * Server settings for the next start (postgresql.auto.conf: PGlite's postgresqlconf option would
 * replace postgresql.conf, and with it initdb's TimeZone and locale lines). shared_buffers:
 * PostgreSQL's default 128MB holds far more than a catalog of empty tables (500 tables of 30
 * columns make about 3 MB of pg_attribute); 32MB keeps the catalog cached and the process about
 * 95 MB smaller. Starts from the seed or a data directory have it; the very first one does not.
 * https://www.postgresql.org/docs/current/runtime-config-resource.html#GUC-SHARED-BUFFERS
 */
const SERVER_SETTINGS_SQL = "ALTER SYSTEM SET shared_buffers = '32MB';";
/** Name of the one database of a fresh PGlite data directory. */
const INITIAL_DATABASE = 'postgres';
const ACTIVITY_VIEW = /pg_stat_activity|pg_cancel_backend|pg_terminate_backend/i;
/** Statements that may call the signal functions; after one, requests drain the signals table. */
const SIGNAL_FUNCTION = /pg_cancel_backend|pg_terminate_backend/i;
const TEMP_KEYWORD = /\btemp(orary)?\b/i;
/** A statement that may call set_config() changes PGlite's settings behind the engine's back. */
export const SETS_CONFIG = /set_config/i;
const DROP_KIND: Readonly<Record<string, string>> = { r: 'TABLE', p: 'TABLE', v: 'VIEW', m: 'MATERIALIZED VIEW', S: 'SEQUENCE' };

export interface SharedBackendOptions {
  dataDir?: string;
  /** Longest a catalog call may run; past it the engine is restarted (pglite-worker.ts). */
  timeoutMs: number;
  /** Largest catalog reply (default MAX_REPLY_BYTES); a larger one fails with 54000. */
  maxReplyBytes?: number;
  /** Where the seed of an in-memory instance is kept (seed.ts); null: always run initdb. */
  cacheDir: string | null;
  /** Schema name clients see for the mirror of their database. */
  schemaName: string;
}

/** What a mirror holds: the digest of its DDL and the statements that build it in a schema. */
export interface MirrorContent {
  digest: string;
  sql: (schema: string) => string;
}

interface Mirror {
  /** Schema name while another database is active (pg_ prefix: hidden from psql's listings). */
  parked: string;
  digest: string | null;
}

/** The reply in place of one larger than the limit. */
function overflowReply(limit: number): Buffer {
  const message = `catalog result exceeds ${limit} bytes`;
  return new BackendWriter().errorResponse({ severity: 'ERROR', code: SqlState.ProgramLimitExceeded, message }).flush();
}

/** Throws the first ErrorResponse of an engine-internal reply as a PgError. */
function throwOnError(frames: readonly Buffer[], context: string): void {
  const error = frames.find((f) => codeOf(f) === BackendCode.ErrorResponse);
  if (error === undefined) return;
  const fields = errorFields(error);
  throw new PgError(fields.get(ErrorFieldCode.Code) ?? SqlState.InternalError, `${context}: ${fields.get(ErrorFieldCode.Message) ?? ''}`);
}

/**
 * Gives PGlite's one database the client's database name, so that current_database(),
 * current_catalog, \\l and information_schema show it.
 */
function renameDatabaseSql(name: string): string {
  return `UPDATE pg_catalog.pg_database SET datname = ${quoteLiteral(name)} WHERE datname = pg_catalog.current_database();`;
}

function sharedKey(info: CatalogSessionInfo, statement: SharedStatement): string {
  return JSON.stringify([parseContextKey(info), statement.sql, statement.paramTypes]);
}

export class SharedBackend {
  readonly schemaName: string;
  readonly #dataDir: string | undefined;
  readonly #cacheDir: string | null;
  readonly #timeoutMs: number;
  readonly #maxReplyBytes: number;
  #starting: Promise<PgliteWorker> | null = null;
  #db: PgliteWorker | null = null;
  /** What each mirror must hold (set by refreshes); kept across engine restarts to rebuild them. */
  readonly #contents = new Map<string, MirrorContent>();
  #queue: Promise<void> = Promise.resolve();
  /** The settings PGlite holds now (desiredSettings() of the last request); null when unknown. */
  #applied: ReadonlyMap<string, string> | null = null;
  /** PGlite's boot values of the applied settings (pg_settings.reset_val). */
  #defaults: ReadonlyMap<string, string> = new Map();
  /** The role PGlite's session runs as after the last request's prelude. */
  #user: string | null = null;
  /** The mirror in the clients' schema now (a key from CatalogSessionInfo.mirror). */
  #activeMirror: string | null = null;
  /** pg_database's name now (null: not known). */
  #datname: string | null = null;
  readonly #mirrors = new Map<string, Mirror>();
  #nextParked = 1;
  readonly #roles = new Set<string>();
  readonly #activity = new Map<number, SessionActivity>();
  #activityDirty = true;
  /** Set once any statement named a signal function: requests then drain the signals table. */
  #signalsWatched = false;
  /** Told when a failed engine was ended (#lose). */
  onRestart: ((reason: 'timeout' | 'failure', detail: string) => void) | null = null;
  /** Receives pg_cancel_backend / pg_terminate_backend requests (pid, action). */
  onSignal: ((pid: number, action: 'cancel' | 'terminate') => void) | null = null;
  /** Temp relation name -> owning session pid and relkind. */
  readonly #tempOwners = new Map<string, { pid: number; kind: string }>();
  readonly #plans = new PlanCache();
  /** Encodes the messages sent to PGlite. */
  readonly #out = new FrontendWriter();

  constructor(options: SharedBackendOptions) {
    this.schemaName = options.schemaName;
    this.#dataDir = options.dataDir;
    this.#cacheDir = options.cacheDir;
    this.#timeoutMs = options.timeoutMs;
    this.#maxReplyBytes = options.maxReplyBytes ?? MAX_REPLY_BYTES;
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
    const db = await this.#open(`${BOOTSTRAP_SQL}\nCREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schemaName)};`);
    const names = [...APPLIED_SETTINGS.keys()].map(quoteLiteral).join(', ');
    const defaults = await this.sql(`SELECT pg_catalog.lower(name), reset_val FROM pg_catalog.pg_settings WHERE pg_catalog.lower(name) IN (${names})`, 'settings');
    this.#defaults = new Map(textRows(defaults).map(([name, value]) => [name ?? '', value ?? '']));
    const rows = textRows(await this.sql(`SELECT mirror, parked, digest, active FROM ${MIRRORS_TABLE}`, 'catalog state'));
    for (const [key, parked, digest, active] of rows) {
      if (key == null || parked == null) continue;
      this.#mirrors.set(key, { parked, digest: digest ?? null });
      this.#nextParked = Math.max(this.#nextParked, Number(/\d+$/.exec(parked)?.[0] ?? 0) + 1);
      if (active === 't') this.#activeMirror = key;
    }
    this.#datname = textRows(await this.sql('SELECT pg_catalog.current_database()', 'database name'))[0]?.[0] ?? null;
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
    await previous;
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
  async raw(bytes: Buffer, timeoutMs = this.#timeoutMs): Promise<Buffer[]> {
    // After a loss (#lose), a call already queued starts the new engine.
    const db = this.#db ?? (await this.ready());
    try {
      const reply = await db.exchange(bytes, timeoutMs);
      // An oversized reply was dropped whole, its ReadyForQuery too: roll back whatever it left open.
      if (reply === null) await db.exchange(this.#out.query('ROLLBACK').flush(), timeoutMs);
      const frames = reply === null ? [overflowReply(this.#maxReplyBytes)] : splitFrames(reply);
      const status = readyStatus(frames);
      if (status !== null && status !== IDLE) await db.exchange(this.#out.query('ROLLBACK').flush(), timeoutMs);
      return frames;
    } catch (error) {
      const lost = this.#db === db;
      this.#lose(db);
      const detail = error instanceof Error ? error.message : String(error);
      if (lost) this.onRestart?.(error instanceof CatalogTimeout ? 'timeout' : 'failure', detail);
      if (error instanceof CatalogTimeout) {
        throw new PgError(SqlState.QueryCanceled, 'canceling statement due to catalog timeout', {
          hint: `A catalog statement may run for ${timeoutMs} ms (--catalog-timeout-ms); the catalog engine was restarted.`,
        });
      }
      throw new PgError(SqlState.InternalError, `the catalog engine failed and was restarted: ${detail}`);
    }
  }

  /** Forgets a failed engine and everything it held; the next call starts a new one. */
  #lose(db: PgliteWorker): void {
    db.terminate();
    if (this.#db !== db) return;
    this.#db = null;
    this.#starting = null;
    this.#mirrors.clear();
    this.#nextParked = 1;
    this.#roles.clear();
    this.#tempOwners.clear();
    this.#plans.clear();
    this.#plans.takeRetired();
    this.#applied = null;
    this.#user = null;
    this.#activeMirror = null;
    this.#datname = null;
    this.#activityDirty = true;
  }

  /** Engine-internal SQL (trusted: the internal time limit applies); throws on ErrorResponse. */
  async sql(text: string, context: string): Promise<Buffer[]> {
    const frames = await this.raw(this.#out.query(text).flush(), INTERNAL_TIMEOUT_MS);
    throwOnError(frames, context);
    return frames;
  }

  /** Engine-internal SQL run as the bootstrap superuser; the next request re-applies its role. */
  async asSuperuser(text: string, context: string): Promise<Buffer[]> {
    this.#user = null;
    return this.sql(`${SUPERUSER_SQL}\n${text}`, context);
  }

  /** Creates the client's role on first sight (roles read the mirror and pg_catalog via PUBLIC). */
  #createRoleSql(user: string): string | null {
    if (this.#roles.has(user)) return null;
    return [
      'DO $polaris$ BEGIN',
      `IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(user)}) THEN CREATE ROLE ${quoteIdent(user)}; END IF;`,
      'END $polaris$;',
    ].join('\n');
  }

  /**
   * One client request: switch PGlite to the client's state, then send its messages. An error of
   * the state switch is returned instead of the request's reply.
   */
  async request(info: CatalogSessionInfo, sqlText: string | null, bytes: Buffer): Promise<Buffer[]> {
    await this.#closeRetired();
    const desired = desiredSettings(info);
    const settings = settingsSql(desired, this.#applied, this.#defaults);
    const flushActivity = this.#activityDirty && sqlText !== null && ACTIVITY_VIEW.test(sqlText);
    // The same session again with the same settings finds PGlite as it left it.
    const unchanged = settings === '' && info.user === this.#user && info.mirror === this.#activeMirror && info.database === this.#datname;
    if (!unchanged || flushActivity) {
      const known = this.#mirrors.has(info.mirror);
      const activate = info.mirror === this.#activeMirror ? null : this.#activateSql(info.mirror);
      const rename = info.database === this.#datname ? null : renameDatabaseSql(info.database);
      const role = this.#createRoleSql(info.user);
      const prelude = (tolerant: boolean): Buffer => {
        const parts = [SUPERUSER_SQL];
        if (role !== null) parts.push(role);
        if (activate !== null) parts.push(activate);
        if (rename !== null) parts.push(rename);
        if (flushActivity) parts.push(activitySql(this.#activity));
        // Tolerant: from RESET ALL, so that a rejected value leaves PostgreSQL's default.
        parts.push(tolerant ? settingsSql(desired, null, this.#defaults, true) : settings);
        parts.push(setAuthorizationSql(info.user));
        return this.#out.query(parts.filter((part) => part !== '').join('\n')).flush();
      };
      // The prelude is one implicit transaction: a client value PGlite rejects undoes all of it.
      // Then retry, skipping such values.
      let reply = await this.raw(prelude(false));
      if (hasError(reply) && settings !== '') reply = await this.raw(prelude(true));
      if (hasError(reply)) {
        this.#applied = null;
        this.#user = null;
        this.#datname = null;
        if (!known) this.#mirrors.delete(info.mirror);
        return reply.filter((f) => codeOf(f) === BackendCode.ErrorResponse);
      }
      this.#applied = desired;
      this.#roles.add(info.user);
      this.#user = info.user;
      if (flushActivity) this.#activityDirty = false;
      if (activate !== null) this.#plans.clear();
      this.#activeMirror = info.mirror;
      this.#datname = info.database;
      // A mirror registered by this prelude after an engine restart is still empty.
      if (activate !== null && this.#rebuildNeeded(info.mirror)) {
        await this.#rebuild(info.mirror, this.schemaName);
        await this.raw(this.#out.query(setAuthorizationSql(info.user)).flush());
        this.#user = info.user;
      }
    }
    const frames = await this.raw(bytes);
    if (sqlText !== null && SETS_CONFIG.test(sqlText)) this.#applied = null;
    if (sqlText !== null && TEMP_KEYWORD.test(sqlText)) await this.#trackTemp(info.processId);
    if (sqlText !== null && SIGNAL_FUNCTION.test(sqlText)) this.#signalsWatched = true;
    if (this.#signalsWatched) await this.#drainSignals();
    return frames;
  }

  /**
   * A client request on the shared prepared statement for `statement` (plan-cache.ts): parses it
   * first when needed (into the unnamed statement the first time the text is seen), then sends
   * `messages(name)`. The reply leaves out the ParseComplete of that parse; a failed parse is
   * reported as the reply.
   */
  async requestShared(info: CatalogSessionInfo, statement: SharedStatement, messages: (name: string) => Buffer): Promise<Buffer[]> {
    const key = sharedKey(info, statement);
    const { name, state } = this.#plans.lookup(key);
    const parse = state === 'ready' ? [] : [this.#out.parse(name, statement.sql, statement.paramTypes).flush()];
    let frames: Buffer[];
    try {
      frames = await this.request(info, statement.sql, Buffer.concat([...parse, messages(name)]));
    } catch (error) {
      if (state === 'parse') this.#plans.forget(key);
      throw error;
    }
    if (state === 'ready') return frames;
    const first = frames[0];
    if (first !== undefined && codeOf(first) === BackendCode.ParseComplete) return frames.slice(1);
    if (state === 'parse') this.#plans.forget(key);
    return frames;
  }

  /**
   * Checks that a shared statement parses in the client's state (Parse into the unnamed
   * statement), unless it is prepared already. Returns an ErrorResponse, or nothing.
   */
  async validateShared(info: CatalogSessionInfo, statement: SharedStatement): Promise<Buffer[]> {
    if (this.#plans.has(sharedKey(info, statement))) return [];
    const frames = await this.request(info, statement.sql, this.#out.parse('', statement.sql, statement.paramTypes).sync().flush());
    return frames.filter((f) => codeOf(f) === BackendCode.ErrorResponse);
  }

  /** Retires every shared statement: the catalog changed (DDL, a refresh) or may have. */
  invalidatePlans(): void {
    this.#plans.clear();
  }

  async #closeRetired(): Promise<void> {
    const names = this.#plans.takeRetired();
    if (names.length === 0) return;
    const out = this.#out;
    for (const name of names) out.close('S', name);
    await this.raw(out.sync().flush());
  }

  /** Hands requests recorded by the signal functions to the gateway. */
  async #drainSignals(): Promise<void> {
    const rows = textRows(await this.asSuperuser(`DELETE FROM ${SIGNALS_TABLE} RETURNING pid, action;`, 'signals'));
    for (const [pid, action] of rows) {
      if (pid !== null && pid !== undefined && (action === 'cancel' || action === 'terminate')) this.onSignal?.(Number(pid), action);
    }
  }

  #mirror(key: string): { mirror: Mirror; create: string } {
    const existing = this.#mirrors.get(key);
    if (existing !== undefined) return { mirror: existing, create: '' };
    const mirror: Mirror = { parked: `pg_polaris_db_${this.#nextParked++}`, digest: null };
    this.#mirrors.set(key, mirror);
    const register = `INSERT INTO ${MIRRORS_TABLE} (mirror, parked) VALUES (${quoteLiteral(key)}, ${quoteLiteral(mirror.parked)});`;
    // The first mirror adopts the existing schema; later ones get a parked schema.
    const schema = this.#activeMirror === null ? '' : `CREATE SCHEMA ${quoteIdent(mirror.parked)} AUTHORIZATION pg_database_owner;\nGRANT USAGE ON SCHEMA ${quoteIdent(mirror.parked)} TO PUBLIC;`;
    return { mirror, create: `${schema}\n${register}` };
  }

  /** Puts the mirror `key` in the clients' schema, parking the one there now. */
  #activateSql(key: string): string {
    const { mirror, create } = this.#mirror(key);
    const parts = ["SELECT pg_catalog.set_config('allow_system_table_mods', 'on', true);", create];
    const active = this.#activeMirror === null ? undefined : this.#mirrors.get(this.#activeMirror);
    if (active !== undefined) {
      parts.push(`ALTER SCHEMA ${quoteIdent(this.schemaName)} RENAME TO ${quoteIdent(active.parked)};`);
      parts.push(`ALTER SCHEMA ${quoteIdent(mirror.parked)} RENAME TO ${quoteIdent(this.schemaName)};`);
    }
    parts.push(`UPDATE ${MIRRORS_TABLE} SET active = (mirror = ${quoteLiteral(key)});`);
    return parts.join('\n');
  }

  /**
   * Sets what mirror `key` holds and rebuilds it unless it holds that already (same DDL digest:
   * table OIDs stay as they are). Call inside exclusive().
   */
  async refreshMirror(key: string, content: MirrorContent): Promise<void> {
    this.#contents.set(key, content);
    const schema = await this.#mirrorSchema(key);
    if (this.#rebuildNeeded(key)) await this.#rebuild(key, schema);
  }

  #rebuildNeeded(key: string): boolean {
    const content = this.#contents.get(key);
    return content !== undefined && this.#mirrors.get(key)?.digest !== content.digest;
  }

  /** Drops and recreates the mirror's tables in one transaction (in `schema`, where it is now). */
  async #rebuild(key: string, schema: string): Promise<void> {
    const content = this.#contents.get(key);
    const mirror = this.#mirrors.get(key);
    if (content === undefined || mirror === undefined) return;
    this.#plans.clear();
    await this.asSuperuser(
      [
        'BEGIN;',
        "SELECT pg_catalog.set_config('allow_system_table_mods', 'on', true);",
        content.sql(schema),
        `UPDATE ${MIRRORS_TABLE} SET digest = ${quoteLiteral(content.digest)} WHERE mirror = ${quoteLiteral(key)};`,
        'COMMIT;',
      ].join('\n'),
      'refreshing the catalog mirror',
    );
    mirror.digest = content.digest;
  }

  /** The schema that holds a mirror now, registering the mirror if new. */
  async #mirrorSchema(key: string): Promise<string> {
    const known = this.#mirrors.has(key);
    try {
      if (this.#activeMirror === null) {
        await this.asSuperuser(this.#activateSql(key), 'activate mirror');
        this.#plans.clear();
        this.#activeMirror = key;
      }
      const { create } = this.#mirror(key);
      if (create !== '') await this.asSuperuser(`SELECT pg_catalog.set_config('allow_system_table_mods', 'on', true);\n${create}`, 'register mirror');
    } catch (error) {
      if (!known) this.#mirrors.delete(key);
      throw error;
    }
    const mirror = this.#mirrors.get(key) as Mirror;
    return key === this.#activeMirror ? this.schemaName : mirror.parked;
  }

  async #trackTemp(pid: number): Promise<void> {
    const frames = await this.sql(
      "SELECT c.relname, c.relkind FROM pg_catalog.pg_class c WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S')",
      'temp tables',
    );
    const present = new Map(textRows(frames).map(([name, kind]) => [name ?? '', kind ?? 'r']));
    for (const name of this.#tempOwners.keys()) if (!present.has(name)) this.#tempOwners.delete(name);
    for (const [name, kind] of present) if (!this.#tempOwners.has(name)) this.#tempOwners.set(name, { pid, kind });
  }

  /** Drops a session's temp relations and prepared statements (closeBytes: its Close messages + Sync). */
  async endSession(pid: number, closeBytes: Buffer | null): Promise<void> {
    if (closeBytes !== null) await this.raw(closeBytes);
    await this.dropTemp(pid);
    this.setActivity(pid, null);
  }

  /** Drops the temp relations a session created (DISCARD TEMP, end of session). */
  async dropTemp(pid: number): Promise<void> {
    const drops: string[] = [];
    for (const [name, owner] of this.#tempOwners) {
      if (owner.pid !== pid) continue;
      drops.push(`DROP ${DROP_KIND[owner.kind] ?? 'TABLE'} IF EXISTS pg_temp.${quoteIdent(name)} CASCADE;`);
      this.#tempOwners.delete(name);
    }
    if (drops.length === 0) return;
    this.#plans.clear();
    await this.asSuperuser(drops.join('\n'), 'drop temp tables');
  }

  setActivity(pid: number, activity: SessionActivity | null): void {
    if (activity === null) this.#activity.delete(pid);
    else this.#activity.set(pid, activity);
    this.#activityDirty = true;
  }

  /** Renames the database back to its initial name (a data directory reopens by that name) and stops PGlite. */
  async close(): Promise<void> {
    if (this.#starting === null) return;
    await this.exclusive(async () => {
      if (this.#dataDir !== undefined && this.#datname !== INITIAL_DATABASE) {
        await this.asSuperuser(renameDatabaseSql(INITIAL_DATABASE), 'close');
      }
      await this.#db?.close();
      this.#db = null;
      this.#starting = null;
    });
  }
}
