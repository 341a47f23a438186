import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { Authenticator, type AuthOutcome, type AuthStep } from '../auth/authenticator.js';
import { pgErrorFromTransport } from '../errors/map.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { Session } from '../session/session.js';
import { BackendWriter } from '../wire/backend-writer.js';
import { FrontendDecoder } from '../wire/frontend-decoder.js';
import { MAX_AUTH_MESSAGE_SIZE, StartupCode } from '../wire/constants.js';
import type { FrontendMessage, StartupPhaseMessage } from '../wire/messages.js';
import type { GatewayContext } from './context.js';
import { routeCancel } from './peers.js';
import type { PreLoginConnection } from './prelogin.js';
import { ProxyHeaderStage, type PeerAddress } from './proxy-stage.js';
import { readStartup, SUPPORTED_MINOR, type StartupInfo } from './startup.js';
import { checkTransport, upgradeToTls } from './transport.js';

/** Single-byte answers to SSLRequest / GSSENCRequest. https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL */
const SSL_ACCEPT = Buffer.from('S');
const ENCRYPTION_REFUSED = Buffer.from('N');
/** Messages queued while one is processed before the socket is paused (bounded memory). */
const MAX_QUEUED_MESSAGES = 1024;

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
  private readonly queue: Array<FrontendMessage | StartupPhaseMessage> = [];
  private pumping = false;
  private paused = false;
  private startup: StartupInfo | null = null;
  private authenticator: Authenticator | null = null;
  private session: Session | null = null;
  private processId = 0;
  /** SSLRequest and GSSENCRequest are each answered once, as PostgreSQL's ProcessStartupPacket does. */
  private sslDone = false;
  private ended = false;
  private gssDone = false;
  /** The client's address: the socket's peer, or the one a PROXY protocol header names. */
  private peer: PeerAddress;
  private proxyStage: ProxyHeaderStage | null;
  /** Between statements: the last message answered with ReadyForQuery (drain may close the session). */
  private atReadyForQuery = true;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);

  constructor(
    socket: Socket,
    private readonly ctx: GatewayContext,
  ) {
    this.socket = socket;
    this.peer = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    this.proxyStage = ctx.config.proxyProtocol ? new ProxyHeaderStage() : null;
    // Before login only authentication messages arrive: PostgreSQL caps them at 65,535 bytes.
    this.decoder = new FrontendDecoder({ maxMessageSize: Math.min(MAX_AUTH_MESSAGE_SIZE, ctx.config.maxMessageSize) });
    this.attach(socket);
    ctx.preLogin.admit(this);
  }

  /** The pre-login guard closes a connection that did not log in in time or was the oldest waiting. */
  evict(reason: 'startup-limit' | 'authentication-timeout'): void {
    if (this.phase === 'closed') return;
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
    let messages: Array<FrontendMessage | StartupPhaseMessage>;
    try {
      if (this.proxyStage !== null) {
        const rest = this.readProxyHeader(chunk);
        if (rest === null) return;
        chunk = rest;
      }
      messages = this.decoder.push(chunk);
    } catch (err) {
      this.fatal(err);
      return;
    }
    this.queue.push(...messages);
    if (this.queue.length > MAX_QUEUED_MESSAGES && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
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
        const msg = this.queue.shift() as FrontendMessage | StartupPhaseMessage;
        const inSession = this.phase === 'ready';
        if (inSession) this.atReadyForQuery = false;
        const keepGoing = await this.dispatch(msg);
        // Query and Sync are answered with ReadyForQuery (also after an error), as is the login.
        if (inSession) this.atReadyForQuery = msg.type === 'Query' || msg.type === 'Sync';
        if (!keepGoing) {
          this.end();
          return;
        }
        if (this.paused && this.queue.length < MAX_QUEUED_MESSAGES / 2) {
          this.paused = false;
          this.socket.resume();
        }
      }
    } catch (err) {
      this.fatal(err);
    } finally {
      this.pumping = false;
    }
    if (this.ctx.shuttingDown) this.drain();
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

  private async dispatch(msg: FrontendMessage | StartupPhaseMessage): Promise<boolean> {
    switch (this.phase) {
      case 'startup':
        return this.handleStartup(msg);
      case 'auth':
        if (msg.type !== 'Password') throw new PgError(SqlState.ProtocolViolation, `expected a password message, got ${msg.type}`, { severity: 'FATAL' });
        return this.handleAuth(() => (this.authenticator as Authenticator).next(msg.payload));
      case 'ready':
        return (this.session as Session).handle(msg as FrontendMessage);
      case 'closed':
        return false;
    }
  }

  private async handleStartup(msg: FrontendMessage | StartupPhaseMessage): Promise<boolean> {
    switch (msg.type) {
      case 'SSLRequest':
        if (this.sslDone) throw unsupportedProtocol(StartupCode.SSLRequest);
        if (this.decoder.bufferedBytes > 0) {
          throw new PgError(SqlState.ProtocolViolation, 'received unencrypted data after SSL request', { severity: 'FATAL' });
        }
        this.sslDone = true;
        if (this.ctx.tls === null || this.socket instanceof TLSSocket) {
          this.socket.write(ENCRYPTION_REFUSED);
          return true;
        }
        // No GSSAPI encryption inside TLS.
        this.gssDone = true;
        this.socket.write(SSL_ACCEPT);
        this.socket.off('data', this.onData);
        upgradeToTls(this.socket, this.ctx.tls, this.ctx.config, this.ctx.logger, (secure) => this.attach(secure));
        return true;
      case 'GSSENCRequest':
        if (this.gssDone) throw unsupportedProtocol(StartupCode.GSSENCRequest);
        if (this.decoder.bufferedBytes > 0) {
          throw new PgError(SqlState.ProtocolViolation, 'received unencrypted data after GSSAPI encryption request', { severity: 'FATAL' });
        }
        this.gssDone = true;
        this.socket.write(ENCRYPTION_REFUSED);
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
    this.startup = info;
    const writer = new BackendWriter();
    if (info.negotiate) writer.negotiateProtocolVersion(SUPPORTED_MINOR, info.unknownProtocolOptions);
    if (this.ctx.registry.full) {
      throw new PgError(SqlState.TooManyConnections, 'sorry, too many clients already', { severity: 'FATAL' });
    }
    if (this.ctx.shuttingDown) {
      throw new PgError(SqlState.AdminShutdown, 'the database system is shutting down', { severity: 'FATAL' });
    }
    checkTransport(this.socket, this.peer.address || 'unknown', this.ctx.config, info);
    if (writer.length > 0) this.socket.write(writer.flush());
    this.authenticator = new Authenticator(this.ctx.authOptions);
    this.phase = 'auth';
    // Typed messages that arrived with the StartupMessage are decoded now that the phase changed.
    this.receive(Buffer.alloc(0));
    return this.handleAuth(() => (this.authenticator as Authenticator).start(info.user, info.database));
  }

  private async handleAuth(step: () => AuthStep): Promise<boolean> {
    let next: AuthStep;
    try {
      next = step();
    } catch (err) {
      await this.loginFailed();
      throw err;
    }
    const writer = new BackendWriter();
    switch (next.send) {
      case 'cleartext':
        writer.authenticationCleartextPassword();
        break;
      case 'md5':
        writer.authenticationMD5Password(next.salt);
        break;
      case 'sasl':
        writer.authenticationSASL([...next.mechanisms]);
        break;
      case 'saslContinue':
        writer.authenticationSASLContinue(next.data);
        break;
      case 'saslFinal':
        writer.authenticationSASLFinal(next.data);
        await this.authenticated(next.outcome, writer);
        return true;
      case 'ok':
        await this.authenticated(next.outcome, writer);
        return true;
    }
    this.socket.write(writer.flush());
    return true;
  }

  /** AuthenticationOk, ParameterStatus set, BackendKeyData, ReadyForQuery. */
  private async authenticated(outcome: AuthOutcome, writer: BackendWriter): Promise<void> {
    const info = this.startup as StartupInfo;
    try {
      await this.ctx.verifyCredential(outcome);
    } catch (err) {
      await this.loginFailed();
      throw err;
    }
    this.ctx.logins.succeeded(this.peer.address);
    this.ctx.preLogin.release(this);
    this.decoder.messageLimit = this.ctx.config.maxMessageSize;
    let session: Session | null = null;
    const { processId, secretKey } = this.ctx.registry.register({
      cancel: () => session?.abortActive('cancel'),
      terminate: () => this.terminate(),
    });
    this.processId = processId;
    session = new Session({
      socket: this.socket,
      backend: this.ctx.backend,
      catalog: this.ctx.catalog,
      config: this.ctx.config,
      logger: this.ctx.logger,
      metrics: this.ctx.metrics,
      serverVersion: this.ctx.serverVersion,
      serverVersionNum: this.ctx.serverVersionNum,
      processId,
      user: outcome.user,
      database: outcome.database,
      credential: outcome.backendCredential,
      ...(this.peer.address === '' ? {} : { clientAddress: this.peer }),
    });
    session.gucs.applyStartup('TimeZone', this.ctx.config.timeZone);
    session.gucs.applyStartup('session_authorization', outcome.user);
    for (const [name, value] of info.settings) {
      try {
        session.gucs.applyStartup(name, value);
      } catch (err) {
        this.ctx.registry.unregister(processId);
        throw err instanceof PgError ? new PgError(err.code, err.message, { severity: 'FATAL' }) : err;
      }
    }
    session.gucs.drainReportedChanges();
    this.session = session;
    this.phase = 'ready';
    this.ctx.metrics.connections.inc();
    writer.authenticationOk();
    for (const [name, value] of session.gucs.reported()) writer.parameterStatus(name, value);
    writer.backendKeyData(processId, secretKey);
    writer.readyForQuery('I');
    this.socket.write(writer.flush());
    session.reportActivity('idle');
    this.ctx.logger.info({ pid: processId, user: outcome.user, database: outcome.database, client: this.peer.address }, 'session started');
  }

  /** Counts a failed login and waits the address's backoff delay before it is reported. */
  private async loginFailed(): Promise<void> {
    this.ctx.metrics.authFailures.inc();
    const delay = this.ctx.logins.failed(this.peer.address);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  }

  /** Sends a FATAL ErrorResponse and closes; non-PgErrors are internal errors. */
  private fatal(err: unknown): void {
    if (this.phase === 'closed') return;
    const pgError = err instanceof PgError ? err : pgErrorFromTransport(err);
    if (!(err instanceof PgError)) this.ctx.logger.error({ err, pid: this.processId }, 'connection failed');
    const fatal = pgError.isFatal ? pgError : new PgError(pgError.code, pgError.message, { severity: 'FATAL' });
    const writer = new BackendWriter();
    writer.errorResponse(BackendWriter.errorFieldsFrom(fatal));
    if (!this.socket.destroyed) this.socket.end(writer.flush());
    this.phase = 'closed';
  }

  private end(): void {
    this.phase = 'closed';
    this.socket.end();
  }

  private async closed(): Promise<void> {
    // Both the plain socket and the TLS socket on it report 'close'.
    if (this.ended) return;
    this.ended = true;
    const wasReady = this.session !== null;
    this.phase = 'closed';
    this.queue.length = 0;
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

/**
 * A second SSLRequest or GSSENCRequest is read as a StartupMessage of an unknown protocol version,
 * as PostgreSQL does: the request code's high and low 16 bits are the "version".
 */
function unsupportedProtocol(code: number): PgError {
  return new PgError(
    SqlState.FeatureNotSupported,
    `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: server supports 3.0 to 3.${SUPPORTED_MINOR}`,
    { severity: 'FATAL' },
  );
}
