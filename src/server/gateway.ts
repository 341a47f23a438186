import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { AuthOutcome } from '../auth/authenticator.js';
import type { Backend, BackendCredential } from '../schema/druid.js';
import { CatalogManager } from '../catalog/manager.js';
import { createCatalogEngine } from '../catalog/pglite-engine.js';
import { resolveCacheDir } from '../catalog/seed.js';
import type { CatalogEngine } from '../catalog/types.js';
import { parsePeers } from '../config/peers.js';
import type { Config } from '../config/settings.js';
import { PgError } from '../errors/pg-error.js';
import { initParser } from '../sql/parser.js';
import { SqlState } from '../errors/sqlstate.js';
import { startHttpServer } from '../observability/http.js';
import type { HttpListener } from '../observability/http-worker.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { PG_COMPAT_VERSION_NUM, SERVER_VERSION } from '../version.js';
import { configuredCredential, createBackend } from './backend-factory.js';
import { Connection } from './connection.js';
import { drainConnections } from './drain.js';
import { loadAuthOptions, loadTls, reloadFiles } from './files.js';
import { LoginBackoff } from './login-backoff.js';
import { PreLoginGuard } from './prelogin.js';
import type { GatewayContext } from './context.js';
import { PeerLink, type SiblingLink } from './peers.js';
import { loggedReadiness } from './readiness.js';
import { ConnectionRegistry, type WorkerSlot } from './registry.js';
import { siblingSessions } from './sibling-activity.js';

/** How long a passthrough credential that the backend accepted is trusted without a new check. */
const CREDENTIAL_CHECK_TTL_MS = 60_000;

export interface GatewayOptions {
  logger?: Logger;
  /** A backend to use instead of one built from the config (tests). */
  backend?: Backend;
  /** A catalog engine, or null to disable catalog queries; default: the PGlite engine. */
  catalogEngine?: CatalogEngine | null;
  metrics?: Metrics;
  /** This process's place among --workers and the way to its siblings (src/cluster/worker.ts). */
  worker?: { slot: WorkerSlot; siblings: SiblingLink };
}

export interface Gateway {
  readonly host: string;
  readonly port: number;
  readonly httpPort: number | undefined;
  readonly context: GatewayContext;
  /** GET /health's checks: the backend's answer and this process's sessions; rejects when unhealthy. */
  health(): Promise<Record<string, unknown>>;
  /** GET /health/ready's checks (src/server/readiness.ts); rejects with the reason when not ready. */
  ready(): Promise<Record<string, unknown>>;
  /** SIGHUP: rereads the TLS files and the users file for new connections (src/server/files.ts). */
  reload(): { tls: boolean; users: boolean };
  /** SIGTERM: drains, then ends the remaining sessions after --shutdown-grace-ms (src/server/drain.ts). */
  close(): Promise<void>;
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
  const peers = config.peers === undefined ? null : new PeerLink(parsePeers(config.peers, config.instanceId), config.peerSecret ?? '', logger);
  const backend = options.backend ?? createBackend(config);
  const engine =
    options.catalogEngine === undefined ?
      await createCatalogEngine({
          schemaName: config.schemaName,
          timestampType: config.timestampType,
          cacheDir: resolveCacheDir(config.catalogCacheDir),
          timeoutMs: config.catalogTimeoutMs,
          sliceMs: config.catalogSliceMs,
          managementViews: config.writes === 'on',
        })
    : options.catalogEngine;
  const verified = new Map<string, number>();

  const ctx: GatewayContext = {
    config,
    logger,
    metrics,
    backend,
    catalog: new CatalogManager(backend, engine, config.catalogTtlSeconds * 1000),
    registry: new ConnectionRegistry(config.maxConnections, config.instanceId, options.worker?.slot),
    authOptions: loadAuthOptions(config, backend),
    tls,
    peers,
    siblings: options.worker?.siblings ?? null,
    serverVersion: SERVER_VERSION,
    serverVersionNum: PG_COMPAT_VERSION_NUM,
    connections: new Set(),
    preLogin: new PreLoginGuard(config.maxStartupConnections, config.authenticationTimeoutMs, (size) => metrics.startupConnections.set(size)),
    logins: new LoginBackoff(),
    draining: false,
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
    if (!ctx.registry.owns(pid)) ctx.siblings?.signal(pid, action);
    else if (ctx.registry.signal(pid, action)) logger.info({ pid, action }, 'backend signaled from SQL');
  });
  const siblings = ctx.siblings;
  if (engine && siblings !== null && ctx.registry.worker.count > 1) {
    engine.siblingActivity(async () => siblingSessions(await siblings.activity(), ctx.catalog));
  }

  const server: Server = createServer({ noDelay: true }, (socket) => {
    ctx.metrics.connectionsTotal.inc();
    ctx.connections.add(new Connection(socket, ctx));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  const health = async (): Promise<Record<string, unknown>> => {
    const info = await backend.info(configuredCredential(config));
    return { backend: info.kind, version: info.version, tables: info.tables.length, connections: ctx.registry.size };
  };
  const ready = loggedReadiness(ctx, engine);
  let http: HttpListener | undefined;
  if (config.httpListen) {
    http = await startHttpServer(config.httpListen.host, config.httpListen.port, metrics.registry, {
      health,
      ready,
      onError: (err) => logger.error({ err }, 'the HTTP listener failed'),
      ...(peers === null ? {} : { peerCancel: (body, headers) => peers.receive(body, headers, (pid, key) => ctx.registry.cancel(pid, key)) }),
    });
  }
  logger.info({ host: address.address, port: address.port, backend: backend.kind, tls: tls !== null, auth: config.auth, instance: config.instanceId, proxyProtocol: config.proxyProtocol }, 'listening');

  return {
    host: address.address,
    port: address.port,
    httpPort: http?.port,
    context: ctx,
    health,
    ready,
    reload: () => reloadFiles(ctx, logger),
    async close() {
      http?.setDraining();
      await drainConnections(ctx, server, config.drainDelayMs, config.shutdownGraceMs);
      await http?.close();
      await backend.close();
      if (engine) await engine.close();
      logger.flush?.();
    },
  };
}
