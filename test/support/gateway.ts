import type { Backend } from '../../src/schema/druid.js';
import type { CatalogEngine } from '../../src/catalog/types.js';
import { defaults, type Config } from '../../src/config/settings.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { startGateway, type Gateway } from '../../src/server/gateway.js';

export interface TestGatewayOptions {
  config?: Partial<Config>;
  backend?: Backend;
  catalogEngine?: CatalogEngine | null;
}

/** Starts an in-process gateway on an ephemeral loopback port with logging off. */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<Gateway> {
  const config: Config = {
    ...defaults,
    listen: { host: '127.0.0.1', port: 0 },
    logLevel: 'silent',
    druidUrl: options.config?.druidUrl ?? druidUrl(),
    ...options.config,
  };
  return startGateway(config, {
    logger: createLogger(process.env.POLARIS_PG_TEST_LOG ?? 'silent'),
    metrics: new Metrics({ defaultMetrics: false }),
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    ...(options.catalogEngine === undefined ? {} : { catalogEngine: options.catalogEngine }),
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
