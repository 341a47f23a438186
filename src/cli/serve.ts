import cluster from 'node:cluster';
import { runPrimary } from '../cluster/primary.js';
import { runWorker } from '../cluster/worker.js';
import type { Config } from '../config/settings.js';
import { startGateway } from '../server/gateway.js';
import { limitHeapGrowth } from './heap-growth.js';

/**
 * Runs the gateway until SIGINT or SIGTERM, then drains (src/server/drain.ts) and exits. SIGHUP
 * rereads the TLS files and the users file for new connections. With --workers above 1 this
 * process is the primary of that many gateway processes (src/cluster/primary.ts), and each of them
 * runs this again as a worker (node:cluster runs the same command line).
 */
export async function runServe(config: Config): Promise<number> {
  limitHeapGrowth();
  if (cluster.isWorker) return runWorker(config);
  if (config.workers > 1) return runPrimary(config);
  const gateway = await startGateway(config);
  const host = gateway.host.includes(':') ? `[${gateway.host}]` : gateway.host;
  process.stderr.write(`polaris-pg listening on ${host}:${gateway.port}\n`);
  const reload = (): void => void gateway.reload();
  process.on('SIGHUP', reload);
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      gateway.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
