import { SchemaCache, credentialKey } from '../schema/cache.js';
import type { Backend, BackendCredential } from '../schema/druid.js';
import type { SchemaSnapshot } from '../schema/snapshot.js';
import type { CatalogEngine } from './types.js';

/**
 * Serves each database's schema snapshot (schema/cache.ts) and mirrors it into the catalog engine.
 * Data queries use snapshot() alone, so they never wait for the catalog engine to start.
 */
export class CatalogManager {
  private readonly schema: SchemaCache;
  private readonly mirror = new MirrorTracker();
  private readonly credentialOrdinals = new Map<string, number>();

  constructor(
    backend: Backend,
    readonly engine: CatalogEngine | null,
    ttlMs: number,
  ) {
    this.schema = new SchemaCache(backend, ttlMs);
  }

  /** The schema for a catalog query: the snapshot mirrored into the catalog engine. */
  async mirrored(credential: BackendCredential, database: string): Promise<SchemaSnapshot> {
    const snapshot = await this.snapshot(credential, database);
    if (this.engine) await this.mirror.ensure(this.engine, this.mirrorKey(credential, database), snapshot);
    return snapshot;
  }

  /**
   * The engine's mirror a session sees: one per database and backend credential, because in
   * passthrough mode different credentials may see different tables (Druid lists only the tables
   * a user may read). Credentials are numbered in order of first use, so nothing derived from
   * one reaches the engine.
   */
  mirrorKey(credential: BackendCredential, database: string): string {
    const key = credentialKey(credential);
    let ordinal = this.credentialOrdinals.get(key);
    if (ordinal === undefined) {
      ordinal = this.credentialOrdinals.size + 1;
      this.credentialOrdinals.set(key, ordinal);
    }
    return `${database}#${ordinal}`;
  }

  /** Whether a forced refresh is allowed now (rate-limited). */
  mayRefresh(): boolean {
    return this.schema.mayRefresh();
  }

  snapshot(credential: BackendCredential, database: string, options: { force?: boolean } = {}): Promise<SchemaSnapshot> {
    return this.schema.snapshot(credential, database, options);
  }
}

/** The engine's mirrors, each rebuilt only when its snapshot changed. */
class MirrorTracker {
  private readonly mirrored = new Map<string, SchemaSnapshot>();

  async ensure(engine: CatalogEngine, key: string, snapshot: SchemaSnapshot): Promise<void> {
    if (this.mirrored.get(key) === snapshot) return;
    await engine.refresh(key, snapshot);
    this.mirrored.set(key, snapshot);
  }
}
