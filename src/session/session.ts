import type { Socket } from 'node:net';
import type { Backend, BackendCredential } from '../schema/druid.js';
import type { CatalogManager } from '../catalog/manager.js';
import type { CatalogReply, CatalogSession, TenantTag } from '../catalog/types.js';
import type { Config } from '../config/settings.js';
import { pgErrorFromTransport } from '../errors/map.js';
import { PgError, type Severity } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { parseSql } from '../sql/parser.js';
import type { ParsedStatement } from '../sql/types.js';
import { BackendWriter } from '../wire/backend-writer.js';
import type { FrontendMessage } from '../wire/messages.js';
import { ActivityRow } from './activity.js';
import { catalogConnection } from './catalog-connection.js';
import { RelayedError, type SessionContext } from './context.js';
import { closeCursor, endTransactionCursors } from './cursors.js';
import { DataExecutor, type AbortReason } from '../exec/data.js';
import { ExtendedProtocol, type ExtendedHost } from './extended.js';
import { GucStore } from '../exec/gucs.js';
import { Output } from './output.js';
import { QueryRunner } from './runner.js';
import type { Cursor } from './state.js';
import { Statements } from './statements.js';
import { TransactionState } from './transaction.js';
import { CopyInGate, type CopyInbox, type CopyMessage } from './write/copy-inbox.js';
import { WriteExecutor } from './write/executor.js';

export interface SessionDeps {
  socket: Socket;
  backend: Backend;
  catalog: CatalogManager;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  serverVersion: string;
  serverVersionNum: string;
  processId: number;
  user: string;
  database: string;
  credential: BackendCredential;
  clientAddress?: { address: string; port: number };
  /** Passthrough login only: what names `user` in other workers (src/catalog/manager.ts tenantTag). */
  tenant?: TenantTag;
}

/** pg_stat_activity state between statements, by transaction status. */
const IDLE_STATES = { I: 'idle', T: 'idle in transaction', E: 'idle in transaction (aborted)' } as const;

/**
 * One client connection after authentication: the simple query protocol, the extended protocol
 * (extended.ts), and the session state the routes share through SessionContext (settings,
 * transaction block, statements and portals, cursors, the catalog session).
 * https://www.postgresql.org/docs/current/protocol-flow.html
 */
export class Session implements SessionContext, ExtendedHost {
  readonly out: Output;
  readonly gucs: GucStore;
  readonly tx = new TransactionState();
  readonly cursors = new Map<string, Cursor>();
  readonly data: DataExecutor;
  readonly writes: WriteExecutor;
  private readonly copyIn = new CopyInGate();
  readonly runner: QueryRunner;
  readonly statements: Statements;
  private readonly extended: ExtendedProtocol;
  private catalogSession: CatalogSession | null = null;
  /** A catalog message went out since the last Sync: the catalog's batch needs its Sync. */
  private catalogTouched = false;
  currentQuery = '';
  private readonly activity: ActivityRow;

  constructor(readonly deps: SessionDeps) {
    this.out = new Output(deps.socket);
    this.gucs = new GucStore(deps.serverVersion, deps.serverVersionNum, deps.backend.kind);
    const { processId, user, database, clientAddress, tenant } = deps;
    this.activity = new ActivityRow({ engine: deps.catalog.engine, processId, user, database, ...(clientAddress ? { clientAddress } : {}), ...(tenant ? { tenant } : {}) });
    this.data = new DataExecutor({
      backend: deps.backend,
      catalog: deps.catalog,
      credential: deps.credential,
      database: deps.database,
      gucs: this.gucs,
      timestampType: deps.config.timestampType,
      sortMemoryRows: deps.config.sortMemoryRows,
      schemaName: deps.config.schemaName,
      notice: (message) => this.notice(SqlState.SuccessfulCompletion, message),
      onBackendQuery: (queryId) => this.activity.showBackendQuery(queryId),
    });
    this.writes = new WriteExecutor({
      backend: deps.backend,
      catalog: deps.catalog,
      credential: deps.credential,
      database: deps.database,
      gucs: this.gucs,
      config: deps.config,
    });
    // With --writes off the session is read-only, and says so as PostgreSQL does (docs/writes.md).
    if (deps.config.writes !== 'on') {
      this.gucs.applyStartup('default_transaction_read_only', 'on');
      this.gucs.applyStartup('transaction_read_only', 'on');
    }
    this.runner = new QueryRunner(this.out, this.gucs, deps.metrics);
    this.statements = new Statements(this, deps.metrics);
    this.extended = new ExtendedProtocol(this);
  }

  get processId(): number {
    return this.deps.processId;
  }

  /** Handles one frontend message; resolves false when the connection should end. */
  async handle(msg: FrontendMessage): Promise<boolean> {
    if (msg.type === 'CopyData' || msg.type === 'CopyDone' || msg.type === 'CopyFail') {
      await this.copyIn.deliver(msg);
      return true;
    }
    return this.copyIn.run(() => this.dispatch(msg));
  }

  openCopyIn(): CopyInbox {
    return this.copyIn.open();
  }

  closeCopyIn(): void {
    this.copyIn.close();
  }

  private async dispatch(msg: Exclude<FrontendMessage, CopyMessage>): Promise<boolean> {
    this.runner.beginCommand();
    switch (msg.type) {
      case 'Query':
        await this.simpleQuery(msg.sql);
        return true;
      case 'Terminate':
        return false;
      case 'FunctionCall':
        this.sendError(new PgError(SqlState.FeatureNotSupported, 'the function call protocol message is not supported by polaris-pg'));
        this.readyForQuery();
        await this.out.flush();
        return true;
      case 'Password':
        throw new PgError(SqlState.ProtocolViolation, 'unexpected password message after authentication', { severity: 'FATAL' });
      default:
        await this.extended.handle(msg);
        return true;
    }
  }

  /** A Query message: its statements run in order (in one implicit block when there are several) until one fails. */
  private async simpleQuery(sql: string): Promise<void> {
    this.currentQuery = sql;
    this.reportActivity('active');
    let statements: readonly ParsedStatement[] = [];
    try {
      statements = parseSql(sql);
      if (statements.length === 0) this.out.writer.emptyQueryResponse();
    } catch (err) {
      this.fail(err);
    }
    this.tx.implicit = statements.length > 1;
    for (const stmt of statements) {
      try {
        await this.statements.runSimple(stmt);
      } catch (err) {
        this.fail(err);
        break;
      }
      await this.out.maybeFlush();
    }
    this.tx.implicit = false;
    this.gucs.endImplicitTransaction();
    this.readyForQuery();
    await this.out.flush();
  }

  fail(err: unknown): void {
    this.tx.fail();
    if (!(err instanceof RelayedError)) this.sendError(err);
  }

  /** CancelRequest or disconnect: stop whatever backend query is running. */
  abortActive(reason: AbortReason): void {
    this.runner.abort(reason);
  }

  // ---- catalog ---------------------------------------------------------------------------

  async catalog(): Promise<CatalogSession> {
    const engine = this.deps.catalog.engine;
    if (!engine) throw new PgError(SqlState.FeatureNotSupported, 'catalog queries are not available: the catalog engine is disabled');
    await this.deps.catalog.mirrored(this.deps.credential, this.deps.database);
    if (this.catalogSession) return this.catalogSession;
    this.catalogSession = await engine.openSession({
      user: this.deps.user,
      database: this.deps.database,
      mirror: this.deps.catalog.mirrorKey(this.deps.credential, this.deps.database),
      processId: this.deps.processId,
      ...catalogConnection(this.deps.socket, this.deps.clientAddress),
      settings: () => this.gucs.snapshot(),
    });
    return this.catalogSession;
  }

  relay(reply: CatalogReply): void {
    this.out.writeRaw(reply.bytes);
    if (reply.failed) throw new RelayedError('catalog statement failed');
  }

  async catalogMessage(call: (catalog: CatalogSession) => Promise<CatalogReply>): Promise<void> {
    this.catalogTouched = true;
    this.relay(await call(await this.catalog()));
  }

  async syncCatalog(): Promise<void> {
    if (!this.catalogTouched) return;
    this.catalogTouched = false;
    this.out.writeRaw((await (await this.catalog()).sync()).bytes);
  }

  // ---- messages --------------------------------------------------------------------------

  complete(tag: string): void {
    this.out.writer.commandComplete(tag);
  }

  notice(code: string, message: string, severity: Severity = 'NOTICE'): void {
    this.out.writer.noticeResponse({ severity, code, message });
  }

  private sendError(err: unknown): void {
    const pgError = err instanceof PgError ? err : pgErrorFromTransport(err);
    if (!(err instanceof PgError) && pgError.code === SqlState.InternalError) {
      this.deps.logger.error({ err, pid: this.processId }, 'internal error');
    }
    this.out.writer.errorResponse(BackendWriter.errorFieldsFrom(pgError));
  }

  readyForQuery(): void {
    this.runner.endCommand();
    for (const [name, value] of this.gucs.drainReportedChanges()) this.out.writer.parameterStatus(name, value);
    this.out.writer.readyForQuery(this.tx.status);
    this.reportActivity(IDLE_STATES[this.tx.status]);
  }

  /** Keeps this session's pg_stat_activity row current. */
  reportActivity(state: string): void {
    this.activity.report(state, { query: this.currentQuery, applicationName: this.gucs.get('application_name') ?? '', inTransaction: this.tx.inBlock });
  }

  // ---- lifecycle -------------------------------------------------------------------------

  async endTransaction(commit: boolean): Promise<void> {
    this.tx.end();
    this.gucs.endTransaction(commit);
    await endTransactionCursors(this, commit);
    await this.statements.closeAllPortals();
  }

  async discardAll(): Promise<void> {
    for (const cursor of [...this.cursors.values()]) await closeCursor(this, cursor);
    await this.statements.closeAllPortals();
    await this.statements.deallocateAll();
    // The catalog side: temp tables, statements and portals; a new catalog session opens on demand.
    if (this.catalogSession) await this.catalogSession.end();
    this.catalogSession = null;
  }

  async discardTemp(): Promise<void> {
    if (this.catalogSession) await this.catalogSession.discardTemp();
  }

  /** Releases every backend stream and the catalog session (connection closed). */
  async close(): Promise<void> {
    this.abortActive('disconnect');
    for (const cursor of [...this.cursors.values()]) await closeCursor(this, cursor).catch(() => undefined);
    await this.statements.closeAllPortals().catch(() => undefined);
    await this.writes.batch.discard().catch(() => undefined);
    if (this.catalogSession) await this.catalogSession.end().catch(() => undefined);
    this.catalogSession = null;
    this.deps.catalog.engine?.setActivity(this.processId, null);
  }
}
