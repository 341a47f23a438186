import { createHash } from 'node:crypto';
import type { Backend, BackendCredential } from '../schema/druid.js';
import type { SchemaSnapshot } from '../schema/snapshot.js';
import { loadSchema } from '../schema/loader.js';
import type { CatalogEngine } from './types.js';

/** The shortest time between two forced refreshes (unknown-table retries), in ms. */
const MIN_FORCED_REFRESH_MS = 5_000;

interface Entry {
  snapshot: SchemaSnapshot;
}

/**
 * Keeps each database's schema snapshot fresh (TTL, refresh on demand) and mirrors it into the
 * catalog engine. Snapshots are keyed by database and by a hash of the backend credential, because
 * in passthrough mode different API keys may see different tables.
 */
export class CatalogManager {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<SchemaSnapshot>>();
  private lastForced = 0;
  private readonly mirror = new MirrorTracker();
  private readonly credentialOrdinals = new Map<string, number>();

  constructor(
    private readonly backend: Backend,
    readonly engine: CatalogEngine | null,
    private readonly ttlMs: number,
  ) {}

  /**
   * The schema for a catalog query: the snapshot mirrored into the catalog engine. Data queries
   * use snapshot() alone, so they never wait for the catalog engine to start.
   */
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
    return Date.now() - this.lastForced >= MIN_FORCED_REFRESH_MS;
  }

  async snapshot(credential: BackendCredential, database: string, options: { force?: boolean } = {}): Promise<SchemaSnapshot> {
    const key = `${database}\u0000${credentialKey(credential)}`;
    const entry = this.entries.get(key);
    const fresh = entry !== undefined && Date.now() - entry.snapshot.loadedAt < this.ttlMs;
    if (entry && fresh && options.force !== true) return entry.snapshot;
    if (options.force === true) this.lastForced = Date.now();
    const running = this.inflight.get(key);
    if (running) return running;
    const load = (async () => {
      const snapshot = await loadSchema(this.backend, credential);
      this.entries.set(key, { snapshot });
      return snapshot;
    })();
    this.inflight.set(key, load);
    try {
      return await load;
    } finally {
      this.inflight.delete(key);
    }
  }
}

/** The engine's mirrors, each rebuilt only when its snapshot changed. */
export class MirrorTracker {
  private readonly mirrored = new Map<string, SchemaSnapshot>();

  async ensure(engine: CatalogEngine, key: string, snapshot: SchemaSnapshot): Promise<void> {
    if (this.mirrored.get(key) === snapshot) return;
    await engine.refresh(key, snapshot);
    this.mirrored.set(key, snapshot);
  }
}

function credentialKey(credential: BackendCredential): string {
  const material =
    credential.kind === 'basic' ? `${credential.username}:${credential.password}`
    : credential.kind === 'apiKey' ? credential.apiKey
    : credential.kind === 'bearer' ? credential.token
    : '';
  return `${credential.kind}:${createHash('sha256').update(material).digest('hex').slice(0, 16)}`;
}
