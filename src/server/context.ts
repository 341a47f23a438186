import type { AuthenticatorOptions, AuthOutcome } from '../auth/authenticator.js';
import type { Backend } from '../schema/druid.js';
import type { CatalogManager } from '../catalog/manager.js';
import type { Config } from '../config/settings.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ConnectionRegistry } from './registry.js';

/** A client connection as the gateway sees it: something to end at shutdown. */
export interface OpenConnection {
  shutdown(): void;
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
  shuttingDown: boolean;
  /** Passthrough mode: checks the client's credential against the backend before AuthenticationOk. */
  verifyCredential(outcome: AuthOutcome): Promise<void>;
}
