import type { Socket } from 'node:net';
import type { Backend, BackendCredential, DruidValue } from '../schema/druid.js';
import type { CatalogManager } from '../catalog/manager.js';
import type { CatalogReply, CatalogSession } from '../catalog/types.js';
import type { Config } from '../config/settings.js';
import { pgErrorFromTransport } from '../errors/map.js';
import { PgError, type Severity } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { parseSql } from '../sql/parser.js';
import type { ParsedStatement } from '../sql/types.js';
import type { OutputContext } from '../types/pg-type.js';
import { BackendWriter } from '../wire/backend-writer.js';
import type { FormatCode, FrontendMessage } from '../wire/messages.js';
import { runCopy } from './copy.js';
import { closeCursor, endTransactionCursors, runClose, runDeclare, runFetch, type Cursor } from './cursors.js';
import { ActiveQuery, DataExecutor, type AbortReason } from './data.js';
import { ExtendedProtocol } from './extended.js';
import { GucStore, parseMilliseconds } from './gucs.js';
import { Output } from './output.js';
import { encoders, fieldDescriptions, type ResultColumn } from './row-source.js';
import { TransactionState } from './transaction.js';
import { runDeallocate, runDiscard, runSet, runShow, runTransaction } from './utility.js';

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
}

/** Statements allowed in a failed transaction block (everything else gets 25P02). */
const ALLOWED_WHEN_FAILED = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_ROLLBACK_TO']);

/** pg_stat_activity state between statements, by transaction status. */
const IDLE_STATES = { I: 'idle', T: 'idle in transaction', E: 'idle in transaction (aborted)' } as const;

/** Error already sent to the client by a relayed catalog reply. */
export class RelayedError extends Error {}

/**
 * One client connection after authentication: the simple and extended query protocols, session
 * state (GUCs, transaction block, statements, portals, cursors) and the routing of statements.
 * https://www.postgresql.org/docs/current/protocol-flow.html
 */
export class Session {
  readonly out: Output;
  readonly gucs: GucStore;
  readonly tx = new TransactionState();
  readonly cursors = new Map<string, Cursor>();
  readonly data: DataExecutor;
  readonly extended: ExtendedProtocol;
  /** The backend query being read right now: target of CancelRequest and statement_timeout. */
  private active: ActiveQuery | null = null;
  private catalogSession: CatalogSession | null = null;
  private timer: NodeJS.Timeout | null = null;
  currentQuery = '';
  private readonly backendStart = new Date();
  private xactStart: Date | undefined;

  constructor(readonly deps: SessionDeps) {
    this.out = new Output(deps.socket);
    this.gucs = new GucStore(deps.serverVersion, deps.serverVersionNum);
    this.data = new DataExecutor({
      backend: deps.backend,
      catalog: deps.catalog,
      credential: deps.credential,
      database: deps.database,
      gucs: this.gucs,
      timestampType: deps.config.timestampType,
      sortMemoryRows: deps.config.sortMemoryRows,
      schemaName: deps.config.schemaName,
    });
    this.extended = new ExtendedProtocol(this);
  }

  get processId(): number {
    return this.deps.processId;
  }

  outputContext(): OutputContext {
    return {
      timeZone: this.gucs.get('timezone') ?? 'UTC',
      dateStyle: this.gucs.get('datestyle') ?? 'ISO, MDY',
      extraFloatDigits: Number(this.gucs.get('extra_float_digits') ?? '1'),
    };
  }

  /** Handles one frontend message; resolves false when the connection should end. */
  async handle(msg: FrontendMessage): Promise<boolean> {
    switch (msg.type) {
      case 'Query':
        await this.simpleQuery(msg.sql);
        return true;
      case 'Terminate':
        return false;
      case 'CopyData':
      case 'CopyDone':
      case 'CopyFail':
        return true;
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

  // ---- simple query protocol -------------------------------------------------------------

  private async simpleQuery(sql: string): Promise<void> {
    this.currentQuery = sql;
    this.reportActivity('active');
    let statements: readonly ParsedStatement[] | null = null;
    try {
      statements = parseSql(sql);
    } catch (err) {
      this.fail(err);
    }
    if (statements?.length === 0) this.out.writer.emptyQueryResponse();
    for (const stmt of statements ?? []) {
      try {
        await this.runStatement(stmt, null);
      } catch (err) {
        this.fail(err);
        break;
      }
      await this.out.maybeFlush();
    }
    this.readyForQuery();
    await this.out.flush();
  }

  /** Sends an error for a failed statement and marks a transaction block failed. */
  fail(err: unknown): void {
    this.tx.fail();
    if (!(err instanceof RelayedError)) this.sendError(err);
  }

  /**
   * Runs one statement of any route. `formats` are Bind's result formats (null in the simple
   * protocol: text, or binary for a BINARY cursor).
   */
  async runStatement(stmt: ParsedStatement, formats: readonly FormatCode[] | null): Promise<void> {
    const node = stmt.ast[stmt.nodeType] as Record<string, unknown>;
    if (this.tx.status === 'E' && !(stmt.nodeType === 'TransactionStmt' && ALLOWED_WHEN_FAILED.has(String(node.kind)))) {
      this.tx.checkNotFailed();
    }
    const started = process.hrtime.bigint();
    let outcome = 'ok';
    try {
      switch (stmt.route) {
        case 'empty':
          this.out.writer.emptyQueryResponse();
          return;
        case 'utility':
          await this.runUtility(stmt, node, formats);
          return;
        case 'catalog':
          await this.relay(await (await this.catalog()).simpleQuery(stmt.text, stmt.nodeType === 'SelectStmt'));
          return;
        case 'data':
          if (stmt.nodeType === 'CopyStmt') await runCopy(this, stmt, formats === null);
          else await this.runData(stmt, formats ?? []);
          return;
      }
    } catch (err) {
      outcome = 'error';
      throw err;
    } finally {
      this.deps.metrics.queries.inc({ route: stmt.route, outcome });
      this.deps.metrics.queryDuration.observe({ route: stmt.route }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private async runUtility(stmt: ParsedStatement, node: Record<string, unknown>, formats: readonly FormatCode[] | null): Promise<void> {
    switch (stmt.nodeType) {
      case 'VariableSetStmt':
        runSet(this, node);
        return;
      case 'VariableShowStmt':
        runShow(this, node, formats);
        return;
      case 'TransactionStmt':
        await runTransaction(this, node);
        return;
      case 'DeclareCursorStmt':
        await runDeclare(this, stmt);
        return;
      case 'FetchStmt':
        await this.withTimeout(() => runFetch(this, node, formats, formats === null));
        return;
      case 'ClosePortalStmt':
        await runClose(this, node);
        return;
      case 'DiscardStmt':
        await runDiscard(this, node);
        return;
      case 'DeallocateStmt':
        await runDeallocate(this, node);
        return;
      case 'ListenStmt':
        this.complete('LISTEN');
        return;
      case 'UnlistenStmt':
        this.complete('UNLISTEN');
        return;
      default:
        throw new PgError(SqlState.FeatureNotSupported, `${stmt.nodeType.replace(/Stmt$/, '')} statements are not supported by polaris-pg`, {
          hint: 'polaris-pg runs read-only queries against Druid.',
        });
    }
  }

  private async runData(stmt: ParsedStatement, formats: readonly FormatCode[]): Promise<void> {
    const translation = await this.data.translate(stmt, []);
    if (translation.slots.length > 0) {
      throw new PgError(SqlState.UndefinedParameter, `there is no parameter $${translation.slots[0]?.pgIndex ?? 1}`);
    }
    await this.withTimeout(async () => {
      const query = await this.startQuery(() => this.data.open(translation, []));
      try {
        const sent = await this.sendRows(query, formats, 0, true);
        this.complete(`SELECT ${sent.count}`);
      } finally {
        await query.source.close();
      }
    });
  }

  // ---- running and streaming -------------------------------------------------------------

  /** Opens a backend query; a cancel or timeout that arrives while it starts aborts it. */
  async startQuery(open: () => Promise<ActiveQuery>): Promise<ActiveQuery> {
    this.pendingStart = true;
    try {
      const query = await open();
      if (this.abortWhileStarting !== null) {
        query.abort(this.abortWhileStarting);
        await query.source.close();
        throw query.mapError(null);
      }
      return query;
    } finally {
      this.pendingStart = false;
      this.abortWhileStarting = null;
    }
  }

  private pendingStart = false;
  private abortWhileStarting: AbortReason | null = null;

  /** Rows from a query, with cancel and statement_timeout applying while they are read. */
  readRows(query: ActiveQuery, max: number): Promise<DruidValue[][]> {
    return this.reading(query, () => query.source.next(max));
  }

  /** Runs a read of `query` as the session's active query (the target of cancel and timeout). */
  private async reading<T>(query: ActiveQuery, read: () => Promise<T>): Promise<T> {
    this.active = query;
    try {
      return await read();
    } catch (err) {
      throw query.mapError(err);
    } finally {
      this.active = null;
    }
  }

  /**
   * Streams up to `max` rows (0 = all) as DataRows, flushing per batch so that a slow client slows
   * the backend read. Returns how many were sent and whether the result is complete.
   */
  async sendRows(
    query: ActiveQuery,
    formats: readonly FormatCode[],
    max: number,
    describe: boolean,
  ): Promise<{ count: number; complete: boolean }> {
    const columns = query.source.columns;
    if (describe) this.sendRowDescription(columns, formats);
    const encode = encoders(columns, formats, this.outputContext());
    const width = encode.length;
    const values: Array<string | Buffer | null> = new Array<string | Buffer | null>(width);
    const writer = this.out.writer;
    let count = 0;
    while (max === 0 || count < max) {
      const rows = await this.readRows(query, max === 0 ? 0 : max - count);
      if (rows.length === 0) return { count, complete: true };
      for (const row of rows) {
        for (let i = 0; i < width; i++) values[i] = (encode[i] as (v: DruidValue) => string | Buffer | null)(row[i] ?? null);
        writer.dataRow(values);
      }
      count += rows.length;
      this.deps.metrics.rows.inc(rows.length);
      await this.out.flush();
      if (this.out.isClosed) {
        // The client is gone: stop the backend query too (HTTP abort + DELETE), not just the read.
        query.abort('disconnect');
        throw new PgError(SqlState.ConnectionFailure, 'client connection closed');
      }
    }
    return { count, complete: await this.reading(query, () => query.source.exhausted()) };
  }

  sendRowDescription(columns: readonly ResultColumn[], formats: readonly FormatCode[] = []): void {
    this.out.writer.rowDescription(fieldDescriptions(columns, formats));
  }

  /** Runs fn with statement_timeout armed against the query being read. */
  async withTimeout<T>(fn: () => Promise<T>): Promise<T> {
    const ms = parseMilliseconds('statement_timeout', this.gucs.get('statement_timeout') ?? '0');
    if (ms > 0) this.timer = setTimeout(() => this.abortActive('timeout'), ms);
    try {
      return await fn();
    } finally {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** CancelRequest, statement timeout or disconnect: stop whatever backend query is running. */
  abortActive(reason: AbortReason): void {
    if (this.active) {
      this.deps.metrics.cancels.inc();
      this.active.abort(reason);
    } else if (this.pendingStart) {
      this.deps.metrics.cancels.inc();
      this.abortWhileStarting = reason;
    }
  }

  // ---- catalog ---------------------------------------------------------------------------

  /** The session's catalog view, with the mirror refreshed when its snapshot is older than the TTL. */
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
      serverVersion: this.deps.serverVersion,
      settings: () => this.gucs.snapshot(),
    });
    return this.catalogSession;
  }

  /** Relays catalog reply bytes; a reply holding an ErrorResponse fails the statement. */
  async relay(reply: CatalogReply): Promise<void> {
    this.out.writeRaw(reply.bytes);
    if (reply.failed) throw new RelayedError('catalog statement failed');
  }

  // ---- messages --------------------------------------------------------------------------

  complete(tag: string): void {
    this.out.writer.commandComplete(tag);
  }

  notice(code: string, message: string, severity: Severity = 'NOTICE'): void {
    this.out.writer.noticeResponse({ severity, code, message });
  }

  sendError(err: unknown): void {
    const pgError = err instanceof PgError ? err : pgErrorFromTransport(err);
    if (!(err instanceof PgError) && pgError.code === SqlState.InternalError) {
      this.deps.logger.error({ err, pid: this.processId }, 'internal error');
    }
    this.out.writer.errorResponse(BackendWriter.errorFieldsFrom(pgError));
  }

  readyForQuery(): void {
    for (const [name, value] of this.gucs.drainReportedChanges()) this.out.writer.parameterStatus(name, value);
    this.out.writer.readyForQuery(this.tx.status);
    this.reportActivity(IDLE_STATES[this.tx.status]);
  }

  /** Keeps this session's pg_stat_activity row current. */
  reportActivity(state: string): void {
    const engine = this.deps.catalog.engine;
    if (!engine) return;
    const now = new Date();
    if (this.tx.inBlock) this.xactStart ??= now;
    else this.xactStart = undefined;
    engine.setActivity(this.processId, {
      user: this.deps.user,
      database: this.deps.database,
      applicationName: this.gucs.get('application_name') ?? '',
      state,
      query: this.currentQuery,
      backendStart: this.backendStart,
      stateChange: now,
      ...(state === 'active' ? { queryStart: now } : {}),
      ...(this.xactStart ? { xactStart: this.xactStart } : {}),
      ...(this.deps.clientAddress ? { clientAddr: this.deps.clientAddress.address, clientPort: this.deps.clientAddress.port } : {}),
    });
  }

  // ---- lifecycle -------------------------------------------------------------------------

  async endTransaction(commit: boolean): Promise<void> {
    this.tx.end();
    this.gucs.endTransaction(commit);
    await endTransactionCursors(this, commit);
    await this.extended.closeAllPortals();
  }

  async discardAll(): Promise<void> {
    for (const cursor of [...this.cursors.values()]) await closeCursor(this, cursor);
    await this.extended.closeAllPortals();
    await this.extended.deallocateAll();
    // The catalog side: temp tables, statements and portals; a new catalog session opens on demand.
    if (this.catalogSession) await this.catalogSession.end();
    this.catalogSession = null;
  }

  /** DISCARD TEMP: drops the temp tables this session created in the catalog. */
  async discardTemp(): Promise<void> {
    if (this.catalogSession) await this.catalogSession.discardTemp();
  }

  async deallocate(name: string): Promise<boolean> {
    return this.extended.deallocate(name);
  }

  async deallocateAll(): Promise<void> {
    await this.extended.deallocateAll();
  }

  /** Releases every backend stream and the catalog session (connection closed). */
  async close(): Promise<void> {
    this.abortActive('disconnect');
    for (const cursor of [...this.cursors.values()]) await closeCursor(this, cursor).catch(() => undefined);
    await this.extended.closeAllPortals().catch(() => undefined);
    if (this.catalogSession) await this.catalogSession.end().catch(() => undefined);
    this.catalogSession = null;
    this.deps.catalog.engine?.setActivity(this.processId, null);
  }
}
