/**
 * The catalog engine: one shared PGlite (PostgreSQL 18 in WASM) holding an empty mirror of the
 * backend's tables, answering pg_catalog and information_schema queries for every client.
 * PGlite starts on first use (or warmUp()), so the gateway accepts connections at once.
 */
import type { PgTypeOptions } from '../types/druid-to-pg.js';
import { PgliteCatalogSession } from './catalog-session.js';
import { mirrorDigest, rebuildSql } from './mirror.js';
import type { SchemaSnapshot } from '../schema/snapshot.js';
import { defaultCacheDir } from './seed.js';
import { EngineHost, type RestartReason } from './engine-host.js';
import { DEFAULT_CATALOG_SLICE_MS } from './time-slice.js';
import { MirrorSchemas } from './mirror-schemas.js';
import { PlanCache } from './plan-cache.js';
import { SessionObjects } from './session-objects.js';
import { SessionSwitch } from './session-switch.js';
import type { CatalogEngine, CatalogSession, CatalogSessionInfo, SessionActivity } from './types.js';

/** Longest a catalog call may run unless configured (--catalog-timeout-ms). */
export const DEFAULT_CATALOG_TIMEOUT_MS = 30_000;

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
  /** Longest a catalog call may run before the engine is restarted (default DEFAULT_CATALOG_TIMEOUT_MS). */
  timeoutMs?: number;
  /** How long a client statement may hold the engine while others wait (default DEFAULT_CATALOG_SLICE_MS; 0: no slice). */
  sliceMs?: number;
  /** Largest catalog reply (default MAX_REPLY_BYTES of pglite-worker.ts). */
  maxReplyBytes?: number;
  /** Type of Druid TIMESTAMP columns; must match the result encoder's setting. */
  timestampType?: PgTypeOptions['timestampType'];
  /** Whether the catalog holds the management views of schema polaris (management.ts; on with --writes on). */
  managementViews?: boolean;
}

class PgliteCatalogEngine implements CatalogEngine {
  readonly #host: EngineHost;
  readonly #mirrors: MirrorSchemas;
  readonly #objects: SessionObjects;
  readonly #switch: SessionSwitch;
  readonly #typeOptions: PgTypeOptions;

  constructor(options: CatalogEngineOptions) {
    this.#host = new EngineHost({
      schemaName: options.schemaName ?? DEFAULT_SCHEMA_NAME,
      cacheDir: options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir,
      timeoutMs: options.timeoutMs ?? DEFAULT_CATALOG_TIMEOUT_MS,
      sliceMs: options.sliceMs ?? DEFAULT_CATALOG_SLICE_MS,
      ...(options.maxReplyBytes === undefined ? {} : { maxReplyBytes: options.maxReplyBytes }),
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(options.managementViews === undefined ? {} : { managementViews: options.managementViews }),
    });
    const plans = new PlanCache();
    this.#mirrors = new MirrorSchemas(this.#host, plans);
    this.#objects = new SessionObjects(this.#host, plans);
    this.#switch = new SessionSwitch(this.#host, this.#mirrors, this.#objects, plans);
    this.#typeOptions = options.timestampType === undefined ? {} : { timestampType: options.timestampType };
  }

  async warmUp(): Promise<void> {
    await this.#host.ready();
  }

  openSession(info: CatalogSessionInfo): Promise<CatalogSession> {
    return Promise.resolve(new PgliteCatalogSession(this.#switch, info));
  }

  /**
   * Drops and recreates the mirror's tables in one transaction, unless the snapshot gives the same
   * DDL as the last refresh (then table OIDs stay as they are). The engine keeps the snapshot's DDL
   * to rebuild the mirror should it restart.
   */
  refresh(key: string, snapshot: SchemaSnapshot): Promise<void> {
    const options = this.#typeOptions;
    const content = { digest: mirrorDigest(snapshot, options), sql: (schema: string, reader: string) => rebuildSql(schema, reader, snapshot, options) };
    return this.#host.exclusive(() => this.#mirrors.refresh(key, content));
  }

  setActivity(processId: number, activity: SessionActivity | null): void {
    this.#objects.setActivity(processId, activity);
  }

  onRestart(handler: (reason: RestartReason, detail: string) => void): void {
    this.#host.onRestart = handler;
  }

  siblingActivity(source: () => Promise<ReadonlyMap<number, SessionActivity>>): void {
    this.#objects.siblingSource = source;
  }

  /** This worker's sessions (what sibling workers read). */
  get activity(): ReadonlyMap<number, SessionActivity> {
    return this.#objects.activity;
  }

  onSignal(handler: (processId: number, action: 'cancel' | 'terminate') => void): void {
    this.#objects.onSignal = handler;
  }

  close(): Promise<void> {
    return this.#switch.close();
  }
}

export function createCatalogEngine(options: CatalogEngineOptions = {}): Promise<CatalogEngine> {
  return Promise.resolve(new PgliteCatalogEngine(options));
}
