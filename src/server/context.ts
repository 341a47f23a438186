import type { AuthenticatorOptions, AuthOutcome } from '../auth/authenticator.js';
import type { Backend } from '../schema/druid.js';
import type { CatalogManager } from '../catalog/manager.js';
import type { Config } from '../config/settings.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { LoginBackoff } from './login-backoff.js';
import type { PreLoginGuard } from './prelogin.js';
import type { PeerLink, SiblingLink } from './peers.js';
import type { ConnectionRegistry } from './registry.js';
import type { TlsMaterial } from './transport.js';

/** A client connection as the gateway sees it: something to end at shutdown. */
export interface OpenConnection {
  shutdown(): void;
  /** Shutdown: ends the session at once when idle, else when its statement or block ends. */
  drain(): void;
  /** Cancels the running query and ends the session with 57P01. */
  terminate(): void;
  /** Closes the socket at once (a client still open when the shutdown grace ends). */
  destroy(): void;
}

/** What every connection of one gateway shares. */
export interface GatewayContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  backend: Backend;
  catalog: CatalogManager;
  registry: ConnectionRegistry;
  /** Read by each new login; replaced by a reload (SIGHUP). */
  authOptions: AuthenticatorOptions;
  /** Offered to each new SSLRequest; replaced by a reload (SIGHUP). Null: TLS off. */
  tls: TlsMaterial | null;
  /** Other instances that CancelRequests for their sessions are forwarded to (--peers). */
  peers: PeerLink | null;
  /** The other --workers of this instance; null in a single process. */
  siblings: SiblingLink | null;
  serverVersion: string;
  serverVersionNum: string;
  /** The gateway adds each accepted connection; a connection removes itself when it closes. */
  connections: Set<OpenConnection>;
  /** Connections not logged in yet: bounded in number and time. */
  preLogin: PreLoginGuard;
  /** Failed logins per client address, for the delay before a failure is reported. */
  logins: LoginBackoff;
  /** Set at SIGTERM: /health/ready answers 503. */
  draining: boolean;
  /** Set once the listener closed (--drain-delay-ms after SIGTERM): no new logins, idle sessions end. */
  shuttingDown: boolean;
  /** Passthrough mode: checks the client's credential against the backend before AuthenticationOk. */
  verifyCredential(outcome: AuthOutcome): Promise<void>;
}
