import type { AuthenticatorOptions, AuthOutcome } from '../auth/authenticator.js';
import type { Backend } from '../backend/types.js';
import type { CatalogManager } from '../catalog/manager.js';
import type { Config } from '../config/settings.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Connection } from './connection.js';
import type { LoginBackoff } from './login-backoff.js';
import type { PreLoginGuard } from './prelogin.js';
import type { ConnectionRegistry } from './registry.js';

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
  connections: Set<Connection>;
  /** Connections not logged in yet: bounded in number and time. */
  preLogin: PreLoginGuard;
  /** Failed logins per client address, for the delay before a failure is reported. */
  logins: LoginBackoff;
  shuttingDown: boolean;
  /** Passthrough mode: checks the client's credential against the backend before AuthenticationOk. */
  verifyCredential(outcome: AuthOutcome): Promise<void>;
}
