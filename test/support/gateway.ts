import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EVENT_FLUSH_MS } from '../../src/polaris-local/options.js';
import { startPolarisLocal, type PolarisLocal } from '../../src/polaris-local/server.js';
import type { Backend } from '../../src/schema/druid.js';
import type { CatalogEngine } from '../../src/catalog/types.js';
import { defaults, type Config } from '../../src/config/settings.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { checkExchange } from './openapi.js';
import { startGateway, type Gateway } from '../../src/server/gateway.js';

export interface TestGatewayOptions {
  config?: Partial<Config>;
  backend?: Backend;
  catalogEngine?: CatalogEngine | null;
}

/**
 * Starts an in-process gateway on an ephemeral loopback port with logging off. A gateway on the shared
 * Druid (no backend, Druid URL or Polaris URL given) goes through the Polaris path instead when
 * POLARIS_PG_TEST_BACKEND=polaris: gateway -> polaris-local (started here, closed with the gateway)
 * -> the same Druid, with the API key (docs/polaris-local.md, "The suites through the Polaris path").
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<Gateway> {
  const polarisPath = process.env.POLARIS_PG_TEST_BACKEND === 'polaris' && options.backend === undefined && options.config?.druidUrl === undefined && options.config?.polarisUrl === undefined;
  const local = polarisPath ? await startPolarisPath() : undefined;
  const backendConfig: Partial<Config> = local === undefined ? { druidUrl: options.config?.druidUrl ?? druidUrl() } : { druidUrl: undefined, polarisUrl: local.url, project: local.projectId, polarisApiKey: POLARIS_PATH_API_KEY };
  const config: Config = {
    ...defaults,
    listen: { host: '127.0.0.1', port: 0 },
    logLevel: 'silent',
    ...backendConfig,
    ...options.config,
  };
  const gateway = await startGateway(config, {
    logger: createLogger(process.env.POLARIS_PG_TEST_LOG ?? 'silent'),
    metrics: new Metrics({ defaultMetrics: false }),
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    ...(options.catalogEngine === undefined ? {} : { catalogEngine: options.catalogEngine }),
  }).catch(async (err: unknown) => {
    await local?.close();
    throw err;
  });
  if (local === undefined) return gateway;
  const close = gateway.close.bind(gateway);
  return Object.assign(gateway, {
    close: async () => {
      await close();
      await local.close();
    },
  });
}

const POLARIS_PATH_API_KEY = 'pok_polaris-path-test-key';

/**
 * polaris-local on the shared Druid for the Polaris path, in validation mode (every request the gateway
 * sends and every answer checked against the OpenAPI extract), with its state in a fresh directory
 * under POLARIS_PG_TEST_POLARIS_STATE_ROOT (where scripts/test.mjs collects the problems), else tmpdir.
 */
function startPolarisPath(): Promise<PolarisLocal> {
  const druid = druidUrl();
  const root = process.env.POLARIS_PG_TEST_POLARIS_STATE_ROOT;
  const parent = root === undefined || root === '' ? tmpdir() : root;
  mkdirSync(parent, { recursive: true });
  return startPolarisLocal({
    druidUrl: druid,
    overlordUrl: druid,
    host: '127.0.0.1',
    port: 0,
    stateDir: mkdtempSync(join(parent, 'polaris-path-')),
    apiKey: POLARIS_PATH_API_KEY,
    projectId: '8d4f3c1a-6b2e-4f0a-9c7d-1e5b2a3c4d5e',
    clients: [],
    tokenTtlS: 300,
    eventsPerMinute: 0,
    eventFlushMs: DEFAULT_EVENT_FLUSH_MS,
    validate: checkExchange,
  });
}

/** The real Druid the integration suites run against (set by scripts/test.mjs). */
export function druidUrl(): string {
  const url = process.env.POLARIS_PG_TEST_DRUID_URL;
  if (url === undefined || url === '') {
    throw new Error('POLARIS_PG_TEST_DRUID_URL is not set: run the suites with `npm test`, which starts the Druid harness');
  }
  return url;
}

/** The PostgreSQL twin holding the same fixtures (set by scripts/test.mjs). */
export function postgresUrl(): string {
  const url = process.env.POLARIS_PG_TEST_PG_URL;
  if (url === undefined || url === '') {
    throw new Error('POLARIS_PG_TEST_PG_URL is not set: run the suites with `npm test`, which starts the PostgreSQL twin');
  }
  return url;
}

export function connectionString(gateway: Gateway, user = 'tester', database = 'druid'): string {
  return `postgresql://${user}@127.0.0.1:${gateway.port}/${database}`;
}
