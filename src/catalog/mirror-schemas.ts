/**
 * Where each mirror of the backend's tables lives in PGlite. One PGlite database serves every
 * client database and credential (CatalogSessionInfo.mirror), so each mirror has a schema of its
 * own: the active one is renamed to the schema clients see, the others are parked under a pg_
 * name (hidden from psql's listings). The parking is recorded in the engine's file MIRRORS_FILE
 * (engine-files.ts), so a persistent data directory reopens with it; what each mirror must hold (its
 * DDL) is kept here to rebuild it after an engine restart.
 */
import { MIRRORS_FILE, readFileJson, writeFileSql } from './engine-files.js';
import type { EngineHost } from './engine-host.js';
import { quoteIdent, quoteLiteral } from './mirror.js';
import type { PlanCache } from './plan-cache.js';
import { textRows } from '../wire/backend-reader.js';

/** Turns on ALTER SCHEMA of the mirrors' schemas for the current transaction. */
const SYSTEM_TABLE_MODS_SQL = "SELECT pg_catalog.set_config('allow_system_table_mods', 'on', true);";

/** What a mirror holds: the digest of its DDL and the statements that build it in a schema, readable by a role. */
export interface MirrorContent {
  digest: string;
  sql: (schema: string, reader: string) => string;
}

/** The role whose members may read a mirror: named after its parked schema (pg_polaris_db_N -> polaris_db_N_reader). */
function readerOf(parked: string): string {
  return `${parked.replace(/^pg_/, '')}_reader`;
}

/** Creates a role unless it exists (a data directory may hold it already). */
export function createRoleSql(role: string): string {
  return `DO $polaris$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(role)}) THEN CREATE ROLE ${quoteIdent(role)}; END IF; END $polaris$;`;
}

interface Mirror {
  /** Schema name while another mirror is active. */
  parked: string;
  digest: string | null;
}

export class MirrorSchemas {
  /** What each mirror must hold (set by refreshes); kept across engine restarts to rebuild them. */
  readonly #contents = new Map<string, MirrorContent>();
  readonly #mirrors = new Map<string, Mirror>();
  #nextParked = 1;
  /** The mirror in the clients' schema now. */
  #active: string | null = null;

  constructor(
    private readonly host: EngineHost,
    private readonly plans: PlanCache,
  ) {
    host.whenStarted(() => this.#load());
    host.whenLost(() => {
      this.#mirrors.clear();
      this.#nextParked = 1;
      this.#active = null;
    });
  }

  /**
   * Reads the registry. A file write is not undone with its transaction, so an entry whose schema
   * does not exist (its creation failed after the write) is left out.
   */
  async #load(): Promise<void> {
    const sql = `SELECT m.mirror, m.parked, m.digest, m.active
      FROM pg_catalog.json_to_recordset(${readFileJson(MIRRORS_FILE)}) AS m (mirror text, parked text, digest text, active boolean)
      WHERE m.active OR EXISTS (SELECT FROM pg_catalog.pg_namespace n WHERE n.nspname = m.parked)`;
    const rows = textRows(await this.host.asSuperuser(sql, 'catalog state'));
    for (const [key, parked, digest, active] of rows) {
      if (key == null || parked == null) continue;
      this.#mirrors.set(key, { parked, digest: digest ?? null });
      this.#nextParked = Math.max(this.#nextParked, Number(/\d+$/.exec(parked)?.[0] ?? 0) + 1);
      if (active === 't') this.#active = key;
    }
  }

  /** The mirror in the clients' schema now (null: none yet). */
  get active(): string | null {
    return this.#active;
  }

  has(key: string): boolean {
    return this.#mirrors.has(key);
  }

  /** Forgets a mirror registered by SQL that was rolled back. */
  forget(key: string): void {
    this.#mirrors.delete(key);
  }

  #mirror(key: string): { mirror: Mirror; create: string } {
    const existing = this.#mirrors.get(key);
    if (existing !== undefined) return { mirror: existing, create: '' };
    const mirror: Mirror = { parked: `pg_polaris_db_${this.#nextParked++}`, digest: null };
    this.#mirrors.set(key, mirror);
    const reader = readerOf(mirror.parked);
    const role = createRoleSql(reader);
    // The first mirror adopts the existing schema; later ones get a parked schema.
    const schema = this.#active === null ? '' : `CREATE SCHEMA ${quoteIdent(mirror.parked)} AUTHORIZATION pg_database_owner;\nGRANT USAGE ON SCHEMA ${quoteIdent(mirror.parked)} TO PUBLIC;`;
    return { mirror, create: `${role}\n${schema}\n${this.#registrySql(this.#active)}` };
  }

  /**
   * SQL that puts the mirror `key` in the clients' schema, parking the one there now (registering
   * `key` if new). Call activated() once it ran, or forget() if it failed for a new mirror.
   */
  activateSql(key: string): string {
    const { mirror, create } = this.#mirror(key);
    const parts = [SYSTEM_TABLE_MODS_SQL, create];
    const active = this.#active === null ? undefined : this.#mirrors.get(this.#active);
    if (active !== undefined) {
      parts.push(`ALTER SCHEMA ${quoteIdent(this.host.schemaName)} RENAME TO ${quoteIdent(active.parked)};`);
      parts.push(`ALTER SCHEMA ${quoteIdent(mirror.parked)} RENAME TO ${quoteIdent(this.host.schemaName)};`);
    }
    parts.push(this.#registrySql(key));
    return parts.join('\n');
  }

  /** SQL that lets `role` read mirror `key` (registered already): sessions of the mirror's credential are members of its reader role. */
  grantReaderSql(key: string, role: string): string {
    const reader = readerOf((this.#mirrors.get(key) as Mirror).parked);
    return `${createRoleSql(reader)}\nGRANT ${quoteIdent(reader)} TO ${quoteIdent(role)};`;
  }

  /** SQL that records every mirror known here in the registry file, `active` being the one in the clients' schema. */
  #registrySql(active: string | null): string {
    const entries = [...this.#mirrors].map(([mirror, m]) => ({ mirror, parked: m.parked, digest: m.digest, active: mirror === active }));
    return writeFileSql(MIRRORS_FILE, JSON.stringify(entries));
  }

  activated(key: string): void {
    this.#active = key;
  }

  /**
   * Sets what mirror `key` holds and rebuilds it unless it holds that already (same DDL digest:
   * table OIDs stay as they are). Call inside exclusive().
   */
  async refresh(key: string, content: MirrorContent): Promise<void> {
    this.#contents.set(key, content);
    const schema = await this.#schemaOf(key);
    if (this.#rebuildNeeded(key)) await this.#rebuild(key, schema);
  }

  /** Rebuilds the active mirror if it does not hold its content (registered anew after a restart). */
  async rebuildActive(): Promise<boolean> {
    if (this.#active === null || !this.#rebuildNeeded(this.#active)) return false;
    await this.#rebuild(this.#active, this.host.schemaName);
    return true;
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
    this.plans.clear();
    await this.host.asSuperuser(
      ['BEGIN;', SYSTEM_TABLE_MODS_SQL, createRoleSql(readerOf(mirror.parked)), content.sql(schema, readerOf(mirror.parked)), 'COMMIT;'].join('\n'),
      'refreshing the catalog mirror',
    );
    mirror.digest = content.digest;
    // Written once the rebuild is committed: the file keeps no digest of tables that were rolled back.
    await this.host.asSuperuser(this.#registrySql(this.#active), 'recording the catalog mirror');
  }

  /** The schema that holds a mirror now, registering the mirror if new. */
  async #schemaOf(key: string): Promise<string> {
    const known = this.#mirrors.has(key);
    try {
      if (this.#active === null) {
        await this.host.asSuperuser(this.activateSql(key), 'activate mirror');
        this.plans.clear();
        this.#active = key;
      }
      const { create } = this.#mirror(key);
      if (create !== '') await this.host.asSuperuser(`${SYSTEM_TABLE_MODS_SQL}\n${create}`, 'register mirror');
    } catch (error) {
      if (!known) this.#mirrors.delete(key);
      throw error;
    }
    const mirror = this.#mirrors.get(key) as Mirror;
    return key === this.#active ? this.host.schemaName : mirror.parked;
  }
}
