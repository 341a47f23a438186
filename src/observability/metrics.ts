import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, in one registry per gateway instance. */
export class Metrics {
  readonly registry = new Registry();
  readonly connections = new Gauge({ name: 'polaris_pg_connections', help: 'Open client connections', registers: [this.registry] });
  readonly startupConnections = new Gauge({
    name: 'polaris_pg_startup_connections',
    help: 'Client connections that have not logged in yet',
    registers: [this.registry],
  });
  readonly preLoginEvictions = new Counter({
    name: 'polaris_pg_prelogin_evictions_total',
    help: 'Connections closed before login, by reason (startup-limit, authentication-timeout)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly connectionsTotal = new Counter({
    name: 'polaris_pg_connections_total',
    help: 'Client connections accepted',
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: 'polaris_pg_auth_failures_total',
    help: 'Failed client authentications',
    registers: [this.registry],
  });
  readonly queries = new Counter({
    name: 'polaris_pg_queries_total',
    help: 'Statements run, by route and outcome',
    labelNames: ['route', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly rows = new Counter({ name: 'polaris_pg_rows_total', help: 'Rows sent to clients', registers: [this.registry] });
  readonly queryDuration = new Histogram({
    name: 'polaris_pg_query_duration_seconds',
    help: 'Statement duration by route',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly cancels = new Counter({ name: 'polaris_pg_cancels_total', help: 'Queries canceled', registers: [this.registry] });
  readonly cancelRequests = new Counter({
    name: 'polaris_pg_cancel_requests_total',
    help: 'CancelRequests received, by where they went: this process (local), another worker of this instance (worker), or the owning peer (forwarded)',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  readonly catalogRestarts = new Counter({
    name: 'polaris_pg_catalog_restarts_total',
    help: 'Catalog engine restarts, by reason (timeout: a statement ran past --catalog-timeout-ms; slice: a statement ran past --catalog-slice-ms while others waited; failure: PGlite failed)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'polaris_pg_' });
  }
}
