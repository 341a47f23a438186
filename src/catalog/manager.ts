import { SchemaCache, credentialKey } from '../schema/cache.js';
import type { Backend, BackendCredential } from '../schema/druid.js';
import type { SchemaSnapshot } from '../schema/snapshot.js';
import { SUPERUSER } from './session-state.js';
import type { CatalogEngine, TenantTag } from './types.js';

/** Joins a user name and its credential's number in a qualified catalog role name. */
const TENANT_SEPARATOR = '@';

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
    return `${database}#${this.ordinal(credentialKey(credential))}`;
  }

  /**
   * The catalog engine's role for a session: what current_user, pg_stat_activity.usename and the
   * owner of its temp tables name, and what pg_cancel_backend/pg_terminate_backend compare. With a
   * users-file or trust login it is the user name, as the operator configured it. In passthrough
   * mode the backend decides who a client is: the name stands alone only when the credential proves
   * it (Druid basic, where Druid checks the name with the password) and it is not the engine's
   * superuser; otherwise (Polaris keys carry no user name) it is qualified by the credential's
   * number ("name@N"), so a valid key given with another client's user name reaches none of that
   * client's objects, and no client is the engine's superuser. There a name containing '@' is
   * always qualified, so a plain name never equals a qualified one.
   */
  roleName(user: string, credential: BackendCredential, passthrough: boolean): string {
    return passthrough ? this.tenantRole(this.tenantTag(user, credential)) : user;
  }

  /** What names a passthrough session's role (roleName) apart from this process's credential numbers. */
  tenantTag(user: string, credential: BackendCredential): TenantTag {
    return { login: user, key: credentialKey(credential), proven: credential.kind === 'basic' && credential.username === user && user !== SUPERUSER };
  }

  /**
   * The role roleName gives a passthrough session, from its tag: how a worker names the role of a
   * sibling worker's session (src/cluster/), whose credential numbers are its own.
   */
  tenantRole(tag: TenantTag): string {
    if (tag.proven && !tag.login.includes(TENANT_SEPARATOR)) return tag.login;
    return `${tag.login}${TENANT_SEPARATOR}${this.ordinal(tag.key)}`;
  }

  /** A credential's number, in order of first use (nothing derived from a credential reaches the engine). */
  private ordinal(key: string): number {
    let ordinal = this.credentialOrdinals.get(key);
    if (ordinal === undefined) {
      ordinal = this.credentialOrdinals.size + 1;
      this.credentialOrdinals.set(key, ordinal);
    }
    return ordinal;
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
