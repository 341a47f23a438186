/**
 * Gives each client request PGlite in that client's state. PGlite has one session for all
 * clients, so before a request runs, a prelude switches what differs from the last one: the role
 * (created on first sight), the active mirror (mirror-schemas.ts), the database name, the settings
 * (session-state.ts) and, when the statement reads it, pg_stat_activity. Read-only SELECTs run on
 * prepared statements shared by all sessions (plan-cache.ts).
 */
import { APPLIED_SETTINGS, desiredSettings, parseContextKey, setAuthorizationSql, settingsSql, SUPERUSER_SQL } from './session-state.js';
import type { EngineHost } from './engine-host.js';
import { createRoleSql, type MirrorSchemas } from './mirror-schemas.js';
import { takeSettingsNotices } from './settings-notice.js';
import { quoteLiteral } from './mirror.js';
import type { PlanCache, SharedStatement } from './plan-cache.js';
import type { SessionObjects } from './session-objects.js';
import type { CatalogSessionInfo } from './types.js';
import { codeOf, hasError, textRows } from '../wire/backend-reader.js';
import { BackendCode } from '../wire/constants.js';
import { FrontendWriter } from '../wire/frontend-writer.js';

/** Name of the one database of a fresh PGlite data directory, and of PostgreSQL's maintenance database. */
const INITIAL_DATABASE = 'postgres';

/**
 * pg_database row of the maintenance database `postgres` every PostgreSQL cluster has (initdb
 * creates it), shown beside the client's database. PGlite's one database is the client's, so this
 * row has no data directory of its own (pg_database_size() is NULL, as for a database dropped meanwhile). An OID below
 * FirstNormalObjectId (16384), so that no object the engine creates later can take it.
 */
const MAINTENANCE_DATABASE_OID = 16383;

/**
 * Gives PGlite's one database the client's database name, so that current_database(),
 * current_catalog, \\l and information_schema show it, with the maintenance database `postgres`
 * beside it unless the client connected to `postgres`.
 */
function renameDatabaseSql(name: string): string {
  const parts = [
    `DELETE FROM pg_catalog.pg_database WHERE oid = ${MAINTENANCE_DATABASE_OID};`,
    `UPDATE pg_catalog.pg_database SET datname = ${quoteLiteral(name)} WHERE datname = pg_catalog.current_database();`,
  ];
  if (name !== INITIAL_DATABASE) {
    parts.push(
      `INSERT INTO pg_catalog.pg_database SELECT (pg_catalog.jsonb_populate_record(d, pg_catalog.jsonb_build_object('oid', ${MAINTENANCE_DATABASE_OID}, 'datname', ${quoteLiteral(INITIAL_DATABASE)}))).* FROM pg_catalog.pg_database d WHERE d.datname = ${quoteLiteral(name)};`,
    );
  }
  return parts.join('\n');
}

function sharedKey(info: CatalogSessionInfo, statement: SharedStatement): string {
  return JSON.stringify([parseContextKey(info), statement.sql, statement.paramTypes]);
}

export class SessionSwitch {
  /** The settings PGlite holds now (desiredSettings() of the last request); null when unknown. */
  #applied: ReadonlyMap<string, string> | null = null;
  /** PGlite's boot values of the applied settings (pg_settings.reset_val). */
  #defaults: ReadonlyMap<string, string> = new Map();
  /** pg_database's name now (null: not known). */
  #datname: string | null = null;
  readonly #roles = new Set<string>();
  /** Role and mirror pairs whose membership of the mirror's reader role was granted ("role\nmirror"). */
  readonly #readers = new Set<string>();
  /** Encodes the messages sent to PGlite. */
  readonly #out = new FrontendWriter();

  constructor(
    private readonly host: EngineHost,
    private readonly mirrors: MirrorSchemas,
    private readonly objects: SessionObjects,
    private readonly plans: PlanCache,
  ) {
    host.whenStarted(() => this.#load());
    host.whenLost(() => {
      this.#roles.clear();
      this.#readers.clear();
      this.plans.clear();
      this.plans.takeRetired();
      this.#applied = null;
      this.#datname = null;
    });
  }

  async #load(): Promise<void> {
    const names = [...APPLIED_SETTINGS.keys()].map(quoteLiteral).join(', ');
    const defaults = await this.host.sql(`SELECT pg_catalog.lower(name), reset_val FROM pg_catalog.pg_settings WHERE pg_catalog.lower(name) IN (${names})`, 'settings');
    this.#defaults = new Map(textRows(defaults).map(([name, value]) => [name ?? '', value ?? '']));
    this.#datname = textRows(await this.host.sql('SELECT pg_catalog.current_database()', 'database name'))[0]?.[0] ?? null;
  }

  /** Runs fn alone: no other catalog call reaches PGlite until it settles. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.host.exclusive(fn);
  }

  /**
   * Creates the client's role on first sight: a plain role (no superuser, no CREATEROLE), which
   * reads pg_catalog via PUBLIC and its credential's mirrors as a member of their reader roles.
   */
  #createRoleSql(user: string): string | null {
    return this.#roles.has(user) ? null : createRoleSql(user);
  }

  /** Makes the role a reader of the mirror on first sight of the pair (after the mirror is registered). */
  #readerSql(user: string, mirror: string): string | null {
    return this.#readers.has(`${user}\n${mirror}`) ? null : this.mirrors.grantReaderSql(mirror, user);
  }

  /**
   * One client request: switch PGlite to the client's state, then send its messages. An error of
   * the state switch is returned instead of the request's reply.
   */
  async request(info: CatalogSessionInfo, readsActivity: boolean, bytes: Buffer, changes = false): Promise<Buffer[]> {
    await this.#closeRetired();
    const desired = desiredSettings(info);
    const settings = settingsSql(desired, this.#applied, this.#defaults);
    const activity = await this.objects.activityUpdate(readsActivity, info.processId);
    const temps = this.objects.temps.switchSql(info.processId);
    // The same session again with the same settings finds PGlite as it left it.
    const unchanged = settings === '' && info.user === this.host.role && info.mirror === this.mirrors.active && info.database === this.#datname;
    if (!unchanged || activity !== null || temps !== null) {
      const known = this.mirrors.has(info.mirror);
      const activate = info.mirror === this.mirrors.active ? null : this.mirrors.activateSql(info.mirror);
      const rename = info.database === this.#datname ? null : renameDatabaseSql(info.database);
      const role = this.#createRoleSql(info.user);
      const prelude = (tolerant: boolean): string => {
        const parts = [SUPERUSER_SQL];
        if (temps !== null) parts.push(temps);
        if (role !== null) parts.push(role);
        if (activate !== null) parts.push(activate);
        const reader = this.#readerSql(info.user, info.mirror);
        if (reader !== null) parts.push(reader);
        if (rename !== null) parts.push(rename);
        if (activity !== null) parts.push(activity);
        // Tolerant: from RESET ALL, so that a rejected value leaves PostgreSQL's default.
        parts.push(tolerant ? settingsSql(desired, null, this.#defaults, true) : settings);
        parts.push(setAuthorizationSql(info.user));
        return parts.filter((part) => part !== '').join('\n');
      };
      // The prelude is one implicit transaction: a client value PGlite rejects undoes all of it.
      // Then retry, skipping such values.
      let reply = await this.host.query(prelude(false));
      if (hasError(reply) && settings !== '') reply = await this.host.query(prelude(true));
      if (hasError(reply)) {
        this.#applied = null;
        this.host.role = null;
        this.#datname = null;
        if (!known) this.mirrors.forget(info.mirror);
        return reply.filter((f) => codeOf(f) === BackendCode.ErrorResponse);
      }
      this.#applied = desired;
      this.#roles.add(info.user);
      this.#readers.add(`${info.user}\n${info.mirror}`);
      this.host.role = info.user;
      this.objects.temps.switched(info.processId);
      if (temps !== null) this.plans.clear();
      if (activity !== null) this.objects.activityUpdated();
      if (activate !== null) this.plans.clear();
      this.mirrors.activated(info.mirror);
      this.#datname = info.database;
      // A mirror registered by this prelude after an engine restart is still empty.
      if (activate !== null && (await this.mirrors.rebuildActive())) {
        await this.host.query(setAuthorizationSql(info.user));
        this.host.role = info.user;
      }
    }
    const { frames, setConfig } = takeSettingsNotices(this.objects.takeSignals(await this.host.statement(bytes), info.user));
    // set_config() ran: PGlite's settings are no longer known to be the applied ones.
    if (setConfig) this.#applied = null;
    await this.objects.afterStatement(info.processId, changes);
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
    const { name, state } = this.plans.lookup(key);
    const parse = state === 'ready' ? [] : [this.#out.parse(name, statement.sql, statement.paramTypes).flush()];
    let frames: Buffer[];
    try {
      frames = await this.request(info, statement.readsActivity, Buffer.concat([...parse, messages(name)]));
    } catch (error) {
      if (state === 'parse') this.plans.forget(key);
      throw error;
    }
    if (state === 'ready') return frames;
    const first = frames[0];
    if (first !== undefined && codeOf(first) === BackendCode.ParseComplete) return frames.slice(1);
    if (state === 'parse') this.plans.forget(key);
    return frames;
  }

  /**
   * Checks that a shared statement parses in the client's state (Parse into the unnamed
   * statement), unless it is prepared already. Returns an ErrorResponse, or nothing.
   */
  async validateShared(info: CatalogSessionInfo, statement: SharedStatement): Promise<Buffer[]> {
    if (this.plans.has(sharedKey(info, statement))) return [];
    // A Parse reads no rows: the activity rows wait for the Bind.
    const frames = await this.request(info, false, this.#out.parse('', statement.sql, statement.paramTypes).sync().flush());
    return frames.filter((f) => codeOf(f) === BackendCode.ErrorResponse);
  }

  /** Retires every shared statement: the catalog changed (DDL, a refresh) or may have. */
  invalidatePlans(): void {
    this.plans.clear();
  }

  async #closeRetired(): Promise<void> {
    const names = this.plans.takeRetired();
    if (names.length === 0) return;
    for (const name of names) this.#out.close('S', name);
    await this.host.raw(this.#out.sync().flush());
  }

  /** Engine-internal SQL that fills the management views' tables (management.ts). */
  async publish(sql: string): Promise<void> {
    await this.host.asSuperuser(sql, 'polaris management views');
  }

  /** Drops the temp relations a session created (DISCARD TEMP). */
  dropTemp(pid: number): Promise<void> {
    return this.objects.dropTemp(pid);
  }

  /** Drops a session's temp relations and prepared statements (closeBytes: its Close messages + Sync). */
  async endSession(pid: number, closeBytes: Buffer | null): Promise<void> {
    if (closeBytes !== null) await this.host.raw(closeBytes);
    await this.objects.dropTemp(pid);
    this.objects.setActivity(pid, null);
  }

  /** Renames the database back to its initial name (a data directory reopens by that name) and stops PGlite. */
  close(): Promise<void> {
    return this.host.close(async () => {
      if (this.host.persistent && this.#datname !== INITIAL_DATABASE) {
        await this.host.asSuperuser(renameDatabaseSql(INITIAL_DATABASE), 'close');
      }
    });
  }
}
