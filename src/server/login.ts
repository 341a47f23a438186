import type { Socket } from 'node:net';
import { Authenticator, type AuthOutcome, type AuthStep } from '../auth/authenticator.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { Session } from '../session/session.js';
import { BackendWriter } from '../wire/backend-writer.js';
import type { GatewayContext } from './context.js';
import type { PeerAddress } from './proxy-stage.js';
import type { StartupInfo } from './startup.js';
import { checkTransport } from './transport.js';

/**
 * First buffer size of the writers of login and pre-login replies: an authentication request, or
 * AuthenticationOk with the ParameterStatus set, BackendKeyData and ReadyForQuery, fits in it. A
 * writer's default 64 KiB (byte-builder.ts) stays allocated until the next garbage collection, which
 * made each unfinished login cost 64 KiB more (docs/operations.md).
 */
export const LOGIN_WRITER_BYTES = 1024;

/** One step of the exchange: what to send, and the verified outcome once the client is authenticated. */
export interface LoginStep {
  writer: BackendWriter;
  outcome: AuthOutcome | null;
}

/**
 * The authentication exchange of one connection, from an accepted StartupMessage to a verified
 * credential. A failed step is counted and reported after the address's backoff delay.
 */
export class LoginExchange {
  private readonly authenticator: Authenticator;

  /** Admits the StartupMessage (FATAL when the gateway is full or shutting down, or the transport is refused). */
  constructor(
    private readonly ctx: GatewayContext,
    socket: Socket,
    private readonly peerAddress: string,
    readonly startup: StartupInfo,
  ) {
    if (ctx.registry.full) {
      throw new PgError(SqlState.TooManyConnections, 'sorry, too many clients already', { severity: 'FATAL' });
    }
    if (ctx.shuttingDown) {
      throw new PgError(SqlState.AdminShutdown, 'the database system is shutting down', { severity: 'FATAL' });
    }
    checkTransport(socket, peerAddress || 'unknown', ctx.config, startup);
    this.authenticator = new Authenticator(ctx.authOptions);
  }

  /** The first request. */
  start(): Promise<LoginStep> {
    return this.step(() => this.authenticator.start(this.startup.user, this.startup.database));
  }

  /** The client's answer (PasswordMessage, SASLInitialResponse or SASLResponse). */
  next(payload: Buffer): Promise<LoginStep> {
    return this.step(() => this.authenticator.next(payload));
  }

  private async step(run: () => AuthStep): Promise<LoginStep> {
    const writer = new BackendWriter(LOGIN_WRITER_BYTES);
    let outcome: AuthOutcome | null;
    try {
      outcome = writeAuthRequest(writer, run());
      if (outcome !== null) await this.ctx.verifyCredential(outcome);
    } catch (err) {
      await this.failed();
      throw err;
    }
    if (outcome !== null) this.ctx.logins.succeeded(this.peerAddress);
    return { writer, outcome };
  }

  /** Counts a failed login and waits the address's backoff delay before it is reported. */
  private async failed(): Promise<void> {
    this.ctx.metrics.authFailures.inc();
    const delay = this.ctx.logins.failed(this.peerAddress);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * Writes the authentication request of one step of the exchange; returns the outcome when the step
 * ends the exchange (AuthenticationSASLFinal stays in `writer`, to go out with AuthenticationOk).
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP
 */
export function writeAuthRequest(writer: BackendWriter, step: AuthStep): AuthOutcome | null {
  switch (step.send) {
    case 'cleartext':
      writer.authenticationCleartextPassword();
      return null;
    case 'md5':
      writer.authenticationMD5Password(step.salt);
      return null;
    case 'sasl':
      writer.authenticationSASL([...step.mechanisms]);
      return null;
    case 'saslContinue':
      writer.authenticationSASLContinue(step.data);
      return null;
    case 'saslFinal':
      writer.authenticationSASLFinal(step.data);
      return step.outcome;
    case 'ok':
      return step.outcome;
  }
}

/** What a logged-in client is linked to: the connection owns the session and its registry entry. */
export interface LoginTarget {
  socket: Socket;
  peer: PeerAddress;
  startup: StartupInfo;
  /** pg_terminate_backend and the gateway's shutdown of this session. */
  terminate(): void;
}

/**
 * After the credential was verified: registers the session for cancels, creates it with the startup
 * settings (a bad one is FATAL, as in PostgreSQL), and writes AuthenticationOk, the ParameterStatus
 * set, BackendKeyData and ReadyForQuery after what `writer` already holds.
 */
export function openSession(ctx: GatewayContext, target: LoginTarget, outcome: AuthOutcome, writer: BackendWriter): Session {
  let session: Session | null = null;
  const { processId, secretKey } = ctx.registry.register({
    cancel: () => session?.abortActive('cancel'),
    terminate: () => target.terminate(),
  });
  const { peer } = target;
  const passthrough = ctx.config.auth === 'passthrough';
  session = new Session({
    socket: target.socket,
    backend: ctx.backend,
    catalog: ctx.catalog,
    config: ctx.config,
    logger: ctx.logger,
    metrics: ctx.metrics,
    serverVersion: ctx.serverVersion,
    serverVersionNum: ctx.serverVersionNum,
    processId,
    user: ctx.catalog.roleName(outcome.user, outcome.backendCredential, passthrough),
    database: outcome.database,
    credential: outcome.backendCredential,
    ...(passthrough ? { tenant: ctx.catalog.tenantTag(outcome.user, outcome.backendCredential) } : {}),
    ...(peer.address === '' ? {} : { clientAddress: peer }),
  });
  session.gucs.applyStartup('TimeZone', ctx.config.timeZone);
  session.gucs.applyStartup('session_authorization', outcome.user);
  for (const [name, value] of target.startup.settings) {
    try {
      session.gucs.applyStartup(name, value);
    } catch (err) {
      ctx.registry.unregister(processId);
      throw err instanceof PgError ? new PgError(err.code, err.message, { severity: 'FATAL' }) : err;
    }
  }
  session.gucs.drainReportedChanges();
  writer.authenticationOk();
  for (const [name, value] of session.gucs.reported()) writer.parameterStatus(name, value);
  writer.backendKeyData(processId, secretKey);
  writer.readyForQuery('I');
  return session;
}
