import type { Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
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
import type { PreLoginConnection } from './prelogin.js';
import { readStartup, SUPPORTED_MINOR, type StartupInfo } from './startup.js';

/** Single-byte answers to SSLRequest / GSSENCRequest. https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL */
const SSL_ACCEPT = Buffer.from('S');
const ENCRYPTION_REFUSED = Buffer.from('N');
/** Messages queued while one is processed before the socket is paused (bounded memory). */
const MAX_QUEUED_MESSAGES = 1024;

type Phase = 'startup' | 'auth' | 'ready' | 'closed';

/** PEM key, certificate and (for client certificates) CA bundle of the TLS listener. */
export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
  ca?: Buffer;
}

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
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);

  constructor(
    socket: Socket,
    private readonly ctx: GatewayContext,
    private readonly tls: TlsMaterial | null,
  ) {
    this.socket = socket;
    // Before login only authentication messages arrive: PostgreSQL caps them at 65,535 bytes.
    this.decoder = new FrontendDecoder({ maxMessageSize: Math.min(MAX_AUTH_MESSAGE_SIZE, ctx.config.maxMessageSize) });
    this.attach(socket);
    ctx.preLogin.admit(this);
  }

  /** The pre-login guard closes a connection that did not log in in time or was the oldest waiting. */
  evict(reason: 'startup-limit' | 'authentication-timeout'): void {
    if (this.phase === 'closed') return;
    this.ctx.metrics.preLoginEvictions.inc({ reason });
    this.ctx.logger.debug({ reason, address: this.socket.remoteAddress }, 'connection closed before login');
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

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && this.phase !== 'closed') {
        const msg = this.queue.shift() as FrontendMessage | StartupPhaseMessage;
        const keepGoing = await this.dispatch(msg);
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
        if (this.tls === null || this.socket instanceof TLSSocket) {
          this.socket.write(ENCRYPTION_REFUSED);
          return true;
        }
        // No GSSAPI encryption inside TLS.
        this.gssDone = true;
        this.socket.write(SSL_ACCEPT);
        this.upgradeToTls(this.tls);
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
        this.ctx.registry.cancel(msg.processId, msg.secretKey);
        return false;
      case 'Startup':
        return this.begin(readStartup(msg));
      default:
        throw new PgError(SqlState.ProtocolViolation, `unexpected ${msg.type} message before startup`, { severity: 'FATAL' });
    }
  }

  /**
   * Hands the socket to a TLS server that never listens (tls.Server's 'connection' event accepts
   * injected sockets: https://nodejs.org/api/tls.html#event-connection), so the handshake and the
   * client-certificate check (`authorized`, `authorizationError`) are Node's own. The plain
   * socket's 'close' still ends the connection, also when the handshake fails.
   */
  private upgradeToTls(material: TlsMaterial): void {
    const raw = this.socket;
    raw.off('data', this.onData);
    const server = createTlsServer(
      { ...material, requestCert: this.ctx.config.tlsClientCert !== 'off', rejectUnauthorized: false },
      (secure) => this.attach(secure),
    );
    server.on('tlsClientError', (err) => {
      this.ctx.logger.debug({ err: err.message, address: raw.remoteAddress }, 'TLS handshake failed');
      raw.destroy();
    });
    server.emit('connection', raw);
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
    this.checkTransport(info);
    if (writer.length > 0) this.socket.write(writer.flush());
    this.authenticator = new Authenticator(this.ctx.authOptions);
    this.phase = 'auth';
    // Typed messages that arrived with the StartupMessage are decoded now that the phase changed.
    this.receive(Buffer.alloc(0));
    return this.handleAuth(() => (this.authenticator as Authenticator).start(info.user, info.database));
  }

  /**
   * --tls-mode require and --tls-client-cert, checked before any authentication request, as a
   * pg_hba.conf `hostssl ... clientcert=verify-ca|verify-full` line is.
   * https://www.postgresql.org/docs/current/auth-pg-hba-conf.html
   */
  private checkTransport(info: StartupInfo): void {
    const { tlsMode, tlsClientCert } = this.ctx.config;
    const secure = this.socket instanceof TLSSocket ? this.socket : null;
    if (secure === null && (tlsMode === 'require' || tlsClientCert !== 'off')) {
      const host = this.socket.remoteAddress ?? 'unknown';
      throw new PgError(SqlState.InvalidAuthorizationSpecification, `no pg_hba.conf entry for host "${host}", user "${info.user}", database "${info.database}", no encryption`, {
        severity: 'FATAL',
      });
    }
    if (secure === null || tlsClientCert === 'off') return;
    if (!secure.authorized) {
      throw new PgError(SqlState.InvalidAuthorizationSpecification, 'connection requires a valid client certificate', { severity: 'FATAL' });
    }
    const commonName = secure.getPeerCertificate().subject?.CN;
    if (tlsClientCert === 'verify-full' && commonName !== info.user) {
      throw new PgError(SqlState.InvalidAuthorizationSpecification, `certificate authentication failed for user "${info.user}"`, { severity: 'FATAL' });
    }
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
    this.ctx.logins.succeeded(this.socket.remoteAddress ?? '');
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
      ...(this.socket.remoteAddress === undefined ? {} : { clientAddress: { address: this.socket.remoteAddress, port: this.socket.remotePort ?? 0 } }),
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
    this.ctx.logger.info({ pid: processId, user: outcome.user, database: outcome.database }, 'session started');
  }

  /** Counts a failed login and waits the address's backoff delay before it is reported. */
  private async loginFailed(): Promise<void> {
    this.ctx.metrics.authFailures.inc();
    const delay = this.ctx.logins.failed(this.socket.remoteAddress ?? '');
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

  /** Server shutdown: tell the client and close. */
  shutdown(): void {
    this.fatal(new PgError(SqlState.AdminShutdown, 'terminating connection due to administrator command', { severity: 'FATAL' }));
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
