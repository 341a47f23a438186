/**
 * A session's pg_stat_activity row (docs/catalog.md): its state, statement and times, and while a
 * statement runs on the backend, that query's ID (Druid's sqlQueryId, or the Polaris query or
 * asynchronous statement ID) in the polaris_query_id column.
 */
import type { CatalogEngine, SessionActivity, TenantTag } from '../catalog/types.js';

export interface ActivityDeps {
  engine: CatalogEngine | null;
  processId: number;
  user: string;
  database: string;
  clientAddress?: { address: string; port: number };
  /** Passthrough login only: what names `user` in other workers (src/catalog/manager.ts tenantTag). */
  tenant?: TenantTag;
}

/** What the row shows besides its state: the statement, the client's application_name, the transaction. */
export interface ActivityState {
  query: string;
  applicationName: string;
  inTransaction: boolean;
}

export class ActivityRow {
  private readonly backendStart = new Date();
  private xactStart: Date | undefined;
  private row: SessionActivity | undefined;

  constructor(private readonly deps: ActivityDeps) {}

  /** A new state ('active', 'idle', ...): the row is rewritten, without a backend query ID. */
  report(state: string, current: ActivityState): void {
    const engine = this.deps.engine;
    if (!engine) return;
    const now = new Date();
    if (current.inTransaction) this.xactStart ??= now;
    else this.xactStart = undefined;
    const client = this.deps.clientAddress;
    this.row = {
      user: this.deps.user,
      database: this.deps.database,
      applicationName: current.applicationName,
      state,
      query: current.query,
      backendStart: this.backendStart,
      stateChange: now,
      ...(state === 'active' ? { queryStart: now } : {}),
      ...(this.xactStart ? { xactStart: this.xactStart } : {}),
      ...(client ? { clientAddr: client.address, clientPort: client.port } : {}),
      ...(this.deps.tenant ? { tenant: this.deps.tenant } : {}),
    };
    engine.setActivity(this.deps.processId, this.row);
  }

  /** The active statement sent a backend query: its ID is shown until the session's state changes. */
  showBackendQuery(queryId: string): void {
    const engine = this.deps.engine;
    if (!engine || this.row?.state !== 'active') return;
    this.row = { ...this.row, backendQueryId: queryId };
    engine.setActivity(this.deps.processId, this.row);
  }
}
