import type { FormatCode } from '../wire/messages.js';
import type { SchemaSnapshot } from '../schema/snapshot.js';
import type { ManagementJob } from './management.js';

/** What a catalog call returns: backend message bytes to relay as they are (never ReadyForQuery). */
export interface CatalogReply {
  bytes: Buffer;
  /** True when the bytes contain an ErrorResponse (the session then discards until Sync). */
  failed: boolean;
}

/** The identity and settings of one client session, applied before each catalog request. */
export interface CatalogSessionInfo {
  user: string;
  /** The database name the client connected with (current_database()). */
  database: string;
  /**
   * The mirror the client sees (a key given to CatalogEngine.refresh()): one per database and
   * backend credential, since different credentials may see different tables.
   */
  mirror: string;
  processId: number;
  /** The client's TCP connection as inet_client_addr() and friends report it; absent over a Unix socket. */
  connection?: CatalogConnection;
  /** Current session GUCs (name lower-case -> value), read at each request. */
  settings(): ReadonlyMap<string, string>;
}

export interface CatalogConnection {
  clientAddr: string;
  clientPort: number;
  serverAddr: string;
  serverPort: number;
}

/**
 * What the gateway read from a statement's parse tree (src/sql/catalog-facts.ts). Absent, the
 * statement is taken to hold no parameter and to read the activity rows.
 */
export interface StatementFacts {
  /** It holds a parameter reference ($n): a simple query of it is not run as a shared statement. */
  parameters: boolean;
  /** It may read pg_stat_activity's rows (or signal a session): they are brought up to date first. */
  readsActivity: boolean;
}

/**
 * A client's view of the shared PGlite catalog. Calls are serialized across clients; statement and
 * portal names are namespaced per session; session settings are applied per request.
 */
export interface CatalogSession {
  /**
   * `select`: the statement is a SELECT (the gateway routes only read-only ones here), so its
   * plan may be shared between sessions; any other statement may change the catalog.
   */
  simpleQuery(sql: string, select?: boolean, facts?: StatementFacts): Promise<CatalogReply>;
  parse(name: string, sql: string, paramTypes: number[], select?: boolean, facts?: StatementFacts): Promise<CatalogReply>;
  bind(
    portal: string,
    statement: string,
    paramFormats: FormatCode[],
    params: (Buffer | null)[],
    resultFormats: FormatCode[],
  ): Promise<CatalogReply>;
  describe(target: 'S' | 'P', name: string): Promise<CatalogReply>;
  execute(portal: string, maxRows: number): Promise<CatalogReply>;
  close(target: 'S' | 'P', name: string): Promise<CatalogReply>;
  /** Ends an extended-protocol batch in PGlite (its ReadyForQuery is swallowed). */
  sync(): Promise<CatalogReply>;
  /** Replaces the rows of polaris.jobs this session's role sees (management.ts). */
  publishJobs(jobs: readonly ManagementJob[]): Promise<void>;
  /** Drops the temp tables this session created (DISCARD TEMP). */
  discardTemp(): Promise<void>;
  /** Drops the session's temp tables, statements and portals. */
  end(): Promise<void>;
}

/** One gateway session as pg_stat_activity shows it. */
export interface SessionActivity {
  user: string;
  database: string;
  applicationName: string;
  /** 'active', 'idle', 'idle in transaction' or 'idle in transaction (aborted)'. */
  state: string;
  /** The current (active) or last (idle) statement. */
  query: string;
  backendStart: Date;
  queryStart?: Date;
  stateChange?: Date;
  xactStart?: Date;
  clientAddr?: string;
  clientPort?: number;
  /** The backend query the active statement runs: Druid's sqlQueryId or Polaris' query (statement) ID. */
  backendQueryId?: string;
  /** A passthrough session's tenant (src/catalog/manager.ts): sibling workers name its role from it. */
  tenant?: TenantTag;
}

/**
 * A passthrough session's login name, its credential's key (schema/cache.ts credentialKey, a
 * hash) and whether the credential proves the name: with these any worker of the instance names
 * the session's catalog role as its own worker does (CatalogManager.tenantRole).
 */
export interface TenantTag {
  login: string;
  key: string;
  proven: boolean;
}

export interface CatalogEngine {
  openSession(info: CatalogSessionInfo): Promise<CatalogSession>;
  /** Rebuilds one mirror (a key sessions name in CatalogSessionInfo.mirror) from a snapshot of the backend's tables. */
  refresh(mirror: string, snapshot: SchemaSnapshot): Promise<void>;
  /** Starts the engine now instead of on first use; resolves when it answers queries. */
  warmUp(): Promise<void>;
  /** This process's sessions as registered by setActivity (what sibling workers show). */
  readonly activity: ReadonlyMap<number, SessionActivity>;
  /** Registers (or, with null, removes) a gateway session shown by pg_stat_activity. */
  setActivity(processId: number, activity: SessionActivity | null): void;
  /**
   * Told when the engine was ended and will start afresh: a statement past the time limit
   * (timeout), past its time slice while others waited (slice), or PGlite failed (failure).
   */
  onRestart(handler: (reason: 'timeout' | 'slice' | 'failure', detail: string) => void): void;
  /**
   * With --workers above 1: where the sessions of the other workers come from, read before each
   * statement that may read pg_stat_activity or signal a backend (src/cluster/).
   */
  siblingActivity(source: () => Promise<ReadonlyMap<number, SessionActivity>>): void;
  /** Receives pg_cancel_backend(pid) / pg_terminate_backend(pid) calls for the gateway to carry out. */
  onSignal(handler: (processId: number, action: 'cancel' | 'terminate') => void): void;
  close(): Promise<void>;
}
