/**
 * The catalog engine: one shared PGlite (PostgreSQL 18 in WASM) holding an empty mirror of the
 * backend's tables, answering pg_catalog and information_schema queries for every client.
 * PGlite starts on first use (or warmUp()), so the gateway accepts connections at once.
 */
import type { PgTypeOptions } from '../types/druid-to-pg.js';
import { PgliteCatalogSession } from './catalog-session.js';
import { mirrorDigest, quoteLiteral, rebuildSql } from './mirror.js';
import { MIRRORS_TABLE } from './bootstrap.js';
import type { SchemaSnapshot } from './schema.js';
import { defaultCacheDir } from './seed.js';
import { SharedBackend } from './shared-backend.js';
import type { CatalogEngine, CatalogSession, CatalogSessionInfo, SessionActivity } from './types.js';

/** Where Druid tables appear to clients unless configured (fixtures.md "How they are exposed"). */
export const DEFAULT_SCHEMA_NAME = 'public';

export interface CatalogEngineOptions {
  /** PGlite data directory (persists the catalog across restarts); in memory when absent. */
  dataDir?: string;
  /**
   * Where an in-memory engine keeps its seed, the data directory after initdb (seed.ts); null
   * runs initdb at every start. Default: defaultCacheDir().
   */
  cacheDir?: string | null;
  /** Schema clients see the Druid tables in. */
  schemaName?: string;
  /** Type of Druid TIMESTAMP columns; must match the result encoder's setting. */
  timestampType?: PgTypeOptions['timestampType'];
}

class PgliteCatalogEngine implements CatalogEngine {
  readonly #backend: SharedBackend;
  readonly #typeOptions: PgTypeOptions;

  constructor(options: CatalogEngineOptions) {
    this.#backend = new SharedBackend({
      schemaName: options.schemaName ?? DEFAULT_SCHEMA_NAME,
      cacheDir: options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir,
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    });
    this.#typeOptions = options.timestampType === undefined ? {} : { timestampType: options.timestampType };
  }

  async warmUp(): Promise<void> {
    await this.#backend.ready();
  }

  async openSession(info: CatalogSessionInfo): Promise<CatalogSession> {
    await this.#backend.exclusive(() => this.#backend.ensureRole(info.user));
    return new PgliteCatalogSession(this.#backend, info);
  }

  /**
   * Drops and recreates the database's mirror tables in one transaction, unless the snapshot
   * gives the same DDL as the last refresh (then table OIDs stay as they are).
   */
  refresh(key: string, snapshot: SchemaSnapshot): Promise<void> {
    return this.#backend.exclusive(async () => {
      const digest = mirrorDigest(snapshot, this.#typeOptions);
      const { schema, mirror } = await this.#backend.mirrorSchema(key);
      if (mirror.digest === digest) return;
      this.#backend.invalidatePlans();
      await this.#backend.asSuperuser(
        [
          'BEGIN;',
          "SELECT pg_catalog.set_config('allow_system_table_mods', 'on', true);",
          rebuildSql(schema, snapshot, this.#typeOptions),
          `UPDATE ${MIRRORS_TABLE} SET digest = ${quoteLiteral(digest)} WHERE mirror = ${quoteLiteral(key)};`,
          'COMMIT;',
        ].join('\n'),
        'refreshing the catalog mirror',
      );
      mirror.digest = digest;
    });
  }

  setActivity(processId: number, activity: SessionActivity | null): void {
    this.#backend.setActivity(processId, activity);
  }

  onSignal(handler: (processId: number, action: 'cancel' | 'terminate') => void): void {
    this.#backend.onSignal = handler;
  }

  close(): Promise<void> {
    return this.#backend.close();
  }
}

export function createCatalogEngine(options: CatalogEngineOptions = {}): Promise<CatalogEngine> {
  return Promise.resolve(new PgliteCatalogEngine(options));
}
