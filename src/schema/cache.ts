import { createHash } from 'node:crypto';
import type { Backend, BackendCredential } from './druid.js';
import { loadSchema } from './loader.js';
import type { SchemaSnapshot } from './snapshot.js';

/** The shortest time between two forced refreshes (unknown-table retries), in ms. */
const MIN_FORCED_REFRESH_MS = 5_000;

/**
 * Keeps each database's schema snapshot fresh (TTL, refresh on demand). Snapshots are keyed by
 * database and by a hash of the backend credential, because in passthrough mode different API keys
 * may see different tables. Concurrent loads of one key share one query.
 */
export class SchemaCache {
  private readonly entries = new Map<string, SchemaSnapshot>();
  private readonly inflight = new Map<string, Promise<SchemaSnapshot>>();
  private lastForced = 0;

  constructor(
    private readonly backend: Backend,
    private readonly ttlMs: number,
  ) {}

  /** Whether a forced refresh is allowed now (rate-limited). */
  mayRefresh(): boolean {
    return Date.now() - this.lastForced >= MIN_FORCED_REFRESH_MS;
  }

  async snapshot(credential: BackendCredential, database: string, options: { force?: boolean } = {}): Promise<SchemaSnapshot> {
    const key = `${database}\u0000${credentialKey(credential)}`;
    const entry = this.entries.get(key);
    const fresh = entry !== undefined && Date.now() - entry.loadedAt < this.ttlMs;
    if (entry && fresh && options.force !== true) return entry;
    if (options.force === true) this.lastForced = Date.now();
    const running = this.inflight.get(key);
    if (running) return running;
    const load = (async () => {
      const snapshot = await loadSchema(this.backend, credential);
      this.entries.set(key, snapshot);
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

/** A key for a credential: its kind and a short hash of its secret (never the secret itself). */
export function credentialKey(credential: BackendCredential): string {
  const material =
    credential.kind === 'basic' ? `${credential.username}:${credential.password}`
    : credential.kind === 'apiKey' ? credential.apiKey
    : credential.kind === 'bearer' ? credential.token
    : '';
  return `${credential.kind}:${createHash('sha256').update(material).digest('hex').slice(0, 16)}`;
}
