import type { Socket } from 'node:net';
import { pgErrorFromTransport } from '../errors/map.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { Session } from '../session/session.js';
import { BackendWriter } from '../wire/backend-writer.js';
import { FrontendDecoder } from '../wire/frontend-decoder.js';
import { MAX_AUTH_MESSAGE_SIZE } from '../wire/constants.js';
import type { FrontendMessage } from '../wire/messages.js';
import type { GatewayContext } from './context.js';
import { EncryptionRequests } from './encryption-request.js';
import { IdleTimeout } from './idle-timeout.js';
import { InputQueue, type ClientMessage } from './input-queue.js';
import { LoginExchange, LOGIN_WRITER_BYTES, openSession, type LoginStep } from './login.js';
import { routeCancel } from './peers.js';
import type { PreLoginConnection } from './prelogin.js';
import { ProxyHeaderStage, type PeerAddress } from './proxy-stage.js';
import { readStartup, SUPPORTED_MINOR, type StartupInfo } from './startup.js';
import { upgradeToTls } from './transport.js';

type Phase = 'startup' | 'auth' | 'ready' | 'closed';

/** After 57P01 is sent, how long a client may take to close before its socket is destroyed. */
const SHUTDOWN_LINGER_MS = 1000;

/**
 * One client connection: the startup phase (SSLRequest, GSSENCRequest, CancelRequest,
 * StartupMessage, authentication), then the session's message loop. Messages are processed one at
 * a time in arrival order; errors become ErrorResponse and only FATAL ones close the connection.
 */
export class Connection implements PreLoginConnection {
  private socket: Socket;
  private readonly decoder: FrontendDecoder;
  private phase: Phase = 'startup';
  private readonly queue = new InputQueue(() => this.socket);
  private pumping = false;
  private login: LoginExchange | null = null;
  private session: Session | null = null;
  private processId = 0;
  private readonly encryption = new EncryptionRequests();
  private ended = false;
  /** The client's address: the socket's peer, or the one a PROXY protocol header names. */
  private peer: PeerAddress;
  private proxyStage: ProxyHeaderStage | null;
  /** Between statements: the last message answered with ReadyForQuery (drain may close the session). */
  private atReadyForQuery = true;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly idle = new IdleTimeout((error) => this.timedOut(error));

  constructor(
    socket: Socket,
    private readonly ctx: GatewayContext,
  ) {
    this.socket = socket;
    this.peer = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    this.proxyStage = ctx.config.proxyProtocol ? new ProxyHeaderStage() : null;
    // Before login only authentication messages arrive: PostgreSQL caps them at 65,535 bytes.
    this.decoder = new FrontendDecoder({ maxMessageSize: Math.min(MAX_AUTH_MESSAGE_SIZE, ctx.config.maxMessageSize) });
    this.queue.readAhead = false;
    this.attach(socket);
    ctx.preLogin.admit(this);
  }

  /** The pre-login guard closes a connection that did not log in in time or was the oldest waiting. */
  evict(reason: 'startup-limit' | 'authentication-timeout'): void {
    // Closed after a FATAL, yet the client keeps the socket open: it goes now.
    if (this.phase === 'closed') {
      this.socket.destroy();
      return;
    }
    this.ctx.metrics.preLoginEvictions.inc({ reason });
    this.ctx.logger.debug({ reason, address: this.peer.address }, 'connection closed before login');
    if (reason === 'authentication-timeout' && this.phase === 'auth') {
      // PostgreSQL: FATAL 57014 once the startup packet was read; before that it just closes.
      this.fatal(new PgError(SqlState.QueryCanceled, 'canceling authentication due to timeout', { severity: 'FATAL' }));
      this.socket.destroySoon();
      return;
    }
    this.destroy();
  }

  /** Closes the socket at once, without a message. */
  destroy(): void {
    this.phase = 'closed';
    this.socket.destroy();
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('error', (err) => this.ctx.logger.debug({ err: err.message, pid: this.processId }, 'client socket error'));
    socket.once('close', () => void this.closed());
  }

  private receive(chunk: Buffer): void {
    // After a FATAL or the end, input is read (so the client's EOF or reset is seen) and dropped.
    if (this.phase === 'closed') return;
    let messages: ClientMessage[];
    let decodedBytes: number;
    try {
      if (this.proxyStage !== null) {
        const rest = this.readProxyHeader(chunk);
        if (rest === null) return;
        chunk = rest;
      }
      const held = this.decoder.bufferedBytes;
      messages = this.decoder.push(chunk);
      decodedBytes = held + chunk.length - this.decoder.bufferedBytes;
    } catch (err) {
      this.fatal(err);
      return;
    }
    if (messages.length > 0) this.idle.disarm();
    this.queue.push(messages, decodedBytes);
    void this.pump();
  }

  /** Bytes after a complete PROXY header, or null while it is incomplete; throws when it is invalid. */
  private readProxyHeader(chunk: Buffer): Buffer | null {
    const stage = this.proxyStage as ProxyHeaderStage;
    const done = stage.push(chunk);
    if (done === null) return null;
    this.proxyStage = null;
    if (done.source !== null) this.peer = done.source;
    return done.rest;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && this.phase !== 'closed') {
        const msg = this.queue.shift() as ClientMessage;
        const inSession = this.phase === 'ready';
        if (inSession) this.atReadyForQuery = false;
        const keepGoing = await this.dispatch(msg);
        // Query and Sync are answered with ReadyForQuery (also after an error), as is the login.
        if (inSession) this.atReadyForQuery = msg.type === 'Query' || msg.type === 'Sync';
        if (!keepGoing) {
          this.end();
          return;
        }
        this.queue.settle();
      }
    } catch (err) {
      this.fatal(err);
    } finally {
      this.pumping = false;
    }
    if (this.ctx.shuttingDown) this.drain();
    this.waitForClient();
  }

  /** Waiting for the client's next message after ReadyForQuery: the idle timeouts run. */
  private waitForClient(): void {
    if (this.phase !== 'ready' || this.queue.length > 0 || !this.atReadyForQuery) return;
    const session = this.session as Session;
    this.idle.arm(session.gucs, session.tx.status);
  }

  private timedOut(error: PgError): void {
    this.ctx.logger.info({ pid: this.processId, code: error.code }, error.message);
    this.fatal(error);
    setTimeout(() => this.socket.destroy(), SHUTDOWN_LINGER_MS).unref();
  }

  /**
   * Shutdown, smart phase: a session waiting for its client outside a transaction block ends now
   * with 57P01; one that is running a statement or is inside a transaction block is asked again
   * when its message queue runs empty, until the gateway ends it after --shutdown-grace-ms.
   */
  drain(): void {
    if (this.phase === 'closed' || this.pumping || this.queue.length > 0) return;
    if (this.phase !== 'ready') {
      this.shutdown('the database system is shutting down');
      return;
    }
    if (this.atReadyForQuery && (this.session as Session).tx.status === 'I') this.shutdown();
  }

  private async dispatch(msg: ClientMessage): Promise<boolean> {
    switch (this.phase) {
      case 'startup':
        return this.handleStartup(msg);
      case 'auth':
        if (msg.type !== 'Password') throw new PgError(SqlState.ProtocolViolation, `expected a password message, got ${msg.type}`, { severity: 'FATAL' });
        return this.authStep((this.login as LoginExchange).next(msg.payload));
      case 'ready':
        return (this.session as Session).handle(msg as FrontendMessage);
      case 'closed':
        return false;
    }
  }

  private async handleStartup(msg: ClientMessage): Promise<boolean> {
    switch (msg.type) {
      case 'SSLRequest': {
        const tls = this.encryption.answerSsl(this.socket, this.ctx.tls, this.decoder.bufferedBytes);
        if (tls !== null) {
          this.socket.off('data', this.onData);
          upgradeToTls(this.socket, tls, this.ctx.config, this.ctx.logger, (secure) => this.attach(secure));
        }
        return true;
      }
      case 'GSSENCRequest':
        this.encryption.answerGss(this.socket, this.decoder.bufferedBytes);
        return true;
      case 'CancelRequest':
        routeCancel(this.ctx, msg.processId, msg.secretKey);
        return false;
      case 'Startup':
        return this.begin(readStartup(msg));
      default:
        throw new PgError(SqlState.ProtocolViolation, `unexpected ${msg.type} message before startup`, { severity: 'FATAL' });
    }
  }

  private async begin(info: StartupInfo): Promise<boolean> {
    this.decoder.startupPhase = false;
    this.login = new LoginExchange(this.ctx, this.socket, this.peer.address, info);
    if (info.negotiate) this.socket.write(new BackendWriter(LOGIN_WRITER_BYTES).negotiateProtocolVersion(SUPPORTED_MINOR, info.unknownProtocolOptions).flush());
    this.phase = 'auth';
    // Typed messages that arrived with the StartupMessage are decoded now that the phase changed.
    this.receive(Buffer.alloc(0));
    return this.authStep(this.login.start());
  }

  /** Sends the next authentication request, or logs the client in once it is authenticated. */
  private async authStep(pending: Promise<LoginStep>): Promise<boolean> {
    const { writer, outcome } = await pending;
    if (outcome === null) {
      this.socket.write(writer.flush());
      return true;
    }
    this.ctx.preLogin.release(this);
    this.decoder.messageLimit = this.ctx.config.maxMessageSize;
    this.queue.readAhead = true;
    const target = { socket: this.socket, peer: this.peer, startup: (this.login as LoginExchange).startup, terminate: () => this.terminate() };
    const session = openSession(this.ctx, target, outcome, writer);
    this.processId = session.processId;
    this.session = session;
    this.phase = 'ready';
    this.ctx.metrics.connections.inc();
    this.socket.write(writer.flush());
    session.reportActivity('idle');
    this.ctx.logger.info({ pid: this.processId, user: outcome.user, database: outcome.database, client: this.peer.address }, 'session started');
    return true;
  }

  /** Sends a FATAL ErrorResponse and closes; non-PgErrors are internal errors. */
  private fatal(err: unknown): void {
    if (this.phase === 'closed') return;
    const pgError = err instanceof PgError ? err : pgErrorFromTransport(err);
    if (!(err instanceof PgError)) this.ctx.logger.error({ err, pid: this.processId }, 'connection failed');
    const fatal = pgError.isFatal ? pgError : new PgError(pgError.code, pgError.message, { severity: 'FATAL' });
    const writer = new BackendWriter(LOGIN_WRITER_BYTES);
    writer.errorResponse(BackendWriter.errorFieldsFrom(fatal));
    if (!this.socket.destroyed) this.socket.end(writer.flush());
    this.phase = 'closed';
    this.queue.clear();
  }

  private end(): void {
    this.phase = 'closed';
    this.socket.end();
    this.queue.clear();
  }

  private async closed(): Promise<void> {
    // Both the plain socket and the TLS socket on it report 'close'.
    if (this.ended) return;
    this.ended = true;
    const wasReady = this.session !== null;
    this.phase = 'closed';
    this.idle.disarm();
    this.queue.clear();
    this.ctx.preLogin.release(this);
    if (this.processId !== 0) this.ctx.registry.unregister(this.processId);
    if (this.session) await this.session.close();
    if (wasReady) {
      this.ctx.metrics.connections.dec();
      this.ctx.logger.info({ pid: this.processId }, 'session ended');
    }
    this.ctx.connections.delete(this);
  }

  /** pg_terminate_backend: stop the running query, tell the client and close. */
  terminate(): void {
    this.session?.abortActive('cancel');
    this.shutdown();
  }

  /** Server shutdown: tell the client and close; a client that does not close in time is cut off. */
  shutdown(message = 'terminating connection due to administrator command'): void {
    this.fatal(new PgError(SqlState.AdminShutdown, message, { severity: 'FATAL' }));
    setTimeout(() => this.socket.destroy(), SHUTDOWN_LINGER_MS).unref();
  }
}
