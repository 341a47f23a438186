import type { AuthenticatorOptions, AuthOutcome } from '../auth/authenticator.js';
import type { Backend } from '../schema/druid.js';
import type { CatalogManager } from '../catalog/manager.js';
import type { Config } from '../config/settings.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { LoginBackoff } from './login-backoff.js';
import type { PreLoginGuard } from './prelogin.js';
import type { ConnectionRegistry } from './registry.js';

/** A client connection as the gateway sees it: something to end at shutdown. */
export interface OpenConnection {
  shutdown(): void;
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
  authOptions: AuthenticatorOptions;
  serverVersion: string;
  serverVersionNum: string;
  /** The gateway adds each accepted connection; a connection removes itself when it closes. */
  connections: Set<OpenConnection>;
  /** Connections not logged in yet: bounded in number and time. */
  preLogin: PreLoginGuard;
  /** Failed logins per client address, for the delay before a failure is reported. */
  logins: LoginBackoff;
  shuttingDown: boolean;
  /** Passthrough mode: checks the client's credential against the backend before AuthenticationOk. */
  verifyCredential(outcome: AuthOutcome): Promise<void>;
}
