/**
 * The gateway under test in its own process (so that it has a core to itself, as PostgreSQL's
 * backend has): default settings with --auth trust, no catalog engine, logging at LOG_LEVEL
 * (default info, as shipped; the log goes to /dev/null). Sends {port} to its parent over IPC.
 * Run with `node --cpu-prof` through BENCH_NODE_ARGS to profile it.
 */
import { defaults } from '../../src/config/settings.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { startGateway } from '../../src/server/gateway.js';

const druidUrl = process.env.DRUID_URL ?? '';
const logLevel = (process.env.LOG_LEVEL ?? 'info') as typeof defaults.logLevel;
const gateway = await startGateway(
  { ...defaults, listen: { host: '127.0.0.1', port: 0 }, druidUrl, logLevel },
  { logger: createLogger(logLevel), metrics: new Metrics({ defaultMetrics: false }), catalogEngine: null },
);
process.send?.({ port: gateway.port });
process.on('message', (m) => {
  if (m === 'stop') void gateway.close().then(() => process.exit(0));
});
