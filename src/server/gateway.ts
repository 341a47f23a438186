import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { createSecureContext } from 'node:tls';
import type { AuthenticatorOptions, AuthOutcome } from '../auth/authenticator.js';
import { loadUsersFile } from '../auth/users-file.js';
import type { Backend, BackendCredential } from '../schema/druid.js';
import { CatalogManager } from '../catalog/manager.js';
import { createCatalogEngine } from '../catalog/pglite-engine.js';
import { resolveCacheDir } from '../catalog/seed.js';
import type { CatalogEngine } from '../catalog/types.js';
import { ConfigError } from '../config/load.js';
import type { Config } from '../config/settings.js';
import { PgError } from '../errors/pg-error.js';
import { initParser } from '../sql/parser.js';
import { SqlState } from '../errors/sqlstate.js';
import { startHttpServer } from '../observability/http.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { PG_COMPAT_VERSION_NUM, SERVER_VERSION } from '../version.js';
import { configuredCredential, createBackend } from './backend-factory.js';
import { Connection, type TlsMaterial } from './connection.js';
import { LoginBackoff } from './login-backoff.js';
import { PreLoginGuard } from './prelogin.js';
import type { GatewayContext } from './context.js';
import { ConnectionRegistry } from './registry.js';

/** How long a passthrough credential that the backend accepted is trusted without a new check. */
const CREDENTIAL_CHECK_TTL_MS = 60_000;

export interface GatewayOptions {
  logger?: Logger;
  /** A backend to use instead of one built from the config (tests). */
  backend?: Backend;
  /** A catalog engine, or null to disable catalog queries; default: the PGlite engine. */
  catalogEngine?: CatalogEngine | null;
  metrics?: Metrics;
}

export interface Gateway {
  readonly host: string;
  readonly port: number;
  readonly httpPort: number | undefined;
  readonly context: GatewayContext;
  close(): Promise<void>;
}

/** The TLS key, certificate and client CA, read once and checked by building a context from them. */
function loadTls(config: Config): TlsMaterial | null {
  if (config.tlsMode === 'disable' || config.tlsCert === undefined || config.tlsKey === undefined) return null;
  try {
    const material: TlsMaterial = {
      cert: readFileSync(config.tlsCert),
      key: readFileSync(config.tlsKey),
      ...(config.tlsCa === undefined ? {} : { ca: readFileSync(config.tlsCa) }),
    };
    createSecureContext(material);
    return material;
  } catch (err) {
    throw new ConfigError(`--tls-cert/--tls-key/--tls-ca: ${(err as Error).message}`);
  }
}

function authOptions(config: Config, backend: Backend): AuthenticatorOptions {
  const options: AuthenticatorOptions = {
    mode: config.auth,
    backendKind: backend.kind,
    backendCredential: configuredCredential(config),
    passwordMethod: config.passwordMethod,
  };
  if (config.auth === 'users') {
    try {
      options.users = loadUsersFile(config.usersFile ?? '');
    } catch (err) {
      throw new ConfigError(`--users-file: ${(err as Error).message}`);
    }
  }
  return options;
}

function credentialHash(credential: BackendCredential): string {
  return createHash('sha256').update(JSON.stringify(credential)).digest('hex');
}

/** Starts the PostgreSQL listener (and the HTTP health/metrics listener when configured). */
export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  await initParser();
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = options.metrics ?? new Metrics();
  const tls = loadTls(config);
  const backend = options.backend ?? createBackend(config);
  const engine =
    options.catalogEngine === undefined ?
      await createCatalogEngine({
          schemaName: config.schemaName,
          timestampType: config.timestampType,
          cacheDir: resolveCacheDir(config.catalogCacheDir),
          timeoutMs: config.catalogTimeoutMs,
        })
    : options.catalogEngine;
  const verified = new Map<string, number>();

  const ctx: GatewayContext = {
    config,
    logger,
    metrics,
    backend,
    catalog: new CatalogManager(backend, engine, config.catalogTtlSeconds * 1000),
    registry: new ConnectionRegistry(config.maxConnections),
    authOptions: authOptions(config, backend),
    serverVersion: SERVER_VERSION,
    serverVersionNum: PG_COMPAT_VERSION_NUM,
    connections: new Set(),
    preLogin: new PreLoginGuard(config.maxStartupConnections, config.authenticationTimeoutMs, (size) => metrics.startupConnections.set(size)),
    logins: new LoginBackoff(),
    shuttingDown: false,
    async verifyCredential(outcome: AuthOutcome): Promise<void> {
      if (config.auth !== 'passthrough') return;
      const key = credentialHash(outcome.backendCredential);
      const at = verified.get(key);
      if (at !== undefined && Date.now() - at < CREDENTIAL_CHECK_TTL_MS) return;
      try {
        await backend.info(outcome.backendCredential);
      } catch (err) {
        const code = err instanceof PgError ? err.code : '';
        if (code === SqlState.InvalidAuthorizationSpecification || code === SqlState.InsufficientPrivilege) {
          throw new PgError(SqlState.InvalidPassword, `password authentication failed for user "${outcome.user}"`, { severity: 'FATAL' });
        }
        const message = err instanceof Error ? err.message : String(err);
        throw new PgError(SqlState.SqlClientUnableToEstablishConnection, `could not reach the backend: ${message}`, { severity: 'FATAL' });
      }
      verified.set(key, Date.now());
    },
  };

  engine?.onRestart((reason, detail) => {
    ctx.metrics.catalogRestarts.inc({ reason });
    logger.warn({ reason, detail }, 'catalog engine ended; it starts afresh on the next catalog statement');
  });
  engine?.onSignal((pid, action) => {
    if (ctx.registry.signal(pid, action)) logger.info({ pid, action }, 'backend signaled from SQL');
  });

  const server: Server = createServer({ noDelay: true }, (socket) => {
    ctx.metrics.connectionsTotal.inc();
    ctx.connections.add(new Connection(socket, ctx, tls));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  let http: HttpServer | undefined;
  if (config.httpListen) {
    http = await startHttpServer(config.httpListen.host, config.httpListen.port, metrics, {
      async health() {
        const info = await backend.info(configuredCredential(config));
        return { backend: info.kind, version: info.version, tables: info.tables.length, connections: ctx.registry.size };
      },
    });
  }
  logger.info({ host: address.address, port: address.port, backend: backend.kind, tls: tls !== null, auth: config.auth }, 'listening');

  return {
    host: address.address,
    port: address.port,
    httpPort: http ? (http.address() as AddressInfo).port : undefined,
    context: ctx,
    async close() {
      ctx.shuttingDown = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const connection of ctx.connections) connection.shutdown();
        // A client that never reads or closes (half-open) must not hold the shutdown forever.
        const grace = setTimeout(() => {
          for (const connection of ctx.connections) connection.destroy();
        }, config.shutdownGraceMs);
        grace.unref();
        server.once('close', () => clearTimeout(grace));
      });
      if (http) await new Promise<void>((resolve) => (http as HttpServer).close(() => resolve()));
      await backend.close();
      if (engine) await engine.close();
      logger.flush?.();
    },
  };
}
