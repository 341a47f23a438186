import type { AuthenticatorOptions, AuthOutcome } from '../auth/authenticator.js';
import type { Backend } from '../schema/druid.js';
import type { CatalogManager } from '../catalog/manager.js';
import type { Config } from '../config/settings.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Connection } from './connection.js';
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
  shuttingDown: boolean;
  /** Passthrough mode: checks the client's credential against the backend before AuthenticationOk. */
  verifyCredential(outcome: AuthOutcome): Promise<void>;
}
