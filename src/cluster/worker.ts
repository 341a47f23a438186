import cluster from 'node:cluster';
import type { Config } from '../config/settings.js';
import { createLogger } from '../observability/logger.js';
import { startGateway, type Gateway } from '../server/gateway.js';
import { WORKER_INDEX_ENV, type Answer, type Question, type ToPrimary, type ToWorker } from './messages.js';

/** After a drained worker let go of its IPC channel, anything still holding the process open gets this long. */
const EXIT_AFTER_CLOSE_MS = 5_000;

function send(message: ToPrimary): void {
  if (process.connected) process.send?.(message);
}

async function answer(gateway: Gateway, id: number, what: Question): Promise<Answer> {
  try {
    const value = what === 'metrics' ? await gateway.context.metrics.registry.getMetricsAsJSON() : what === 'health' ? await gateway.health() : await gateway.ready();
    return { kind: 'answer', id, ok: true, value };
  } catch (err) {
    return { kind: 'answer', id, ok: false, error: (err as Error).message };
  }
}

/**
 * One of --workers gateway processes (src/cluster/primary.ts forks them): a whole gateway with its
 * own catalog engine, listening on the shared --listen address (the primary accepts and hands out
 * connections); the HTTP listener is the primary's. A CancelRequest for a sibling's session goes
 * to the primary, which passes it on. SIGTERM or SIGINT (from the primary, or systemd's to the
 * whole control group) drain it as a single process drains (src/server/drain.ts); SIGHUP or the
 * primary's reload message reread the TLS and users files.
 */
export async function runWorker(config: Config): Promise<number> {
  const index = Number(process.env[WORKER_INDEX_ENV]);
  const logger = createLogger(config.logLevel).child({ worker: index });
  let gateway: Gateway;
  try {
    gateway = await startGateway(
      { ...config, httpListen: undefined },
      {
        logger,
        worker: {
          slot: { index, count: config.workers },
          siblings: { forward: (processId, secretKey) => send({ kind: 'cancel', processId, secretKey: secretKey.toString('hex') }) },
        },
      },
    );
  } catch (err) {
    process.stderr.write(`polaris-pg worker ${index}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      void gateway
        .close()
        .then(
          () => 0,
          () => 1,
        )
        .then((code) => {
          setTimeout(() => process.exit(code), EXIT_AFTER_CLOSE_MS).unref();
          cluster.worker?.disconnect();
          resolve(code);
        });
    };
    process.on('message', (message: ToWorker) => {
      if (message.kind === 'cancel') gateway.context.registry.cancel(message.processId, Buffer.from(message.secretKey, 'hex'));
      else if (message.kind === 'reload') gateway.reload();
      else void answer(gateway, message.id, message.what).then(send);
    });
    // A second signal (systemd signals the whole control group, the primary passes its own on) changes nothing.
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('SIGHUP', () => void gateway.reload());
  });
}
