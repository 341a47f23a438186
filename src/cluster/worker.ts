import cluster from 'node:cluster';
import type { Config } from '../config/settings.js';
import { createLogger } from '../observability/logger.js';
import { startGateway, type Gateway } from '../server/gateway.js';
import { toRows } from '../server/sibling-activity.js';
import { WORKER_INDEX_ENV, type ActivityRow, type Answer, type Question, type ToPrimary, type ToWorker } from './messages.js';
import { ACTIVITY_TIMEOUT_MS } from './pool.js';

/** After a drained worker let go of its IPC channel, anything still holding the process open gets this long. */
const EXIT_AFTER_CLOSE_MS = 5_000;
/** The primary gives up on a silent sibling after ACTIVITY_TIMEOUT_MS; this worker waits a little longer for the primary. */
const GATHER_TIMEOUT_MS = ACTIVITY_TIMEOUT_MS + 1_000;

function send(message: ToPrimary): void {
  if (process.connected) process.send?.(message);
}

async function answer(gateway: Gateway, id: number, what: Question): Promise<Answer> {
  try {
    const value =
      what === 'metrics' ? await gateway.context.metrics.registry.getMetricsAsJSON()
      : what === 'health' ? await gateway.health()
      : what === 'ready' ? await gateway.ready()
      : toRows(gateway.context.catalog.engine?.activity ?? new Map());
    return { kind: 'answer', id, ok: true, value };
  } catch (err) {
    return { kind: 'answer', id, ok: false, error: (err as Error).message };
  }
}

/** pg_cancel_backend / pg_terminate_backend from a sibling worker's session (which checked the permission). */
function signalled(gateway: Gateway, processId: number, action: 'cancel' | 'terminate'): void {
  if (gateway.context.registry.signal(processId, action)) gateway.context.logger.info({ pid: processId, action }, 'backend signaled from SQL on another worker');
}

/**
 * One of --workers gateway processes (src/cluster/primary.ts forks them): a whole gateway with its
 * own catalog engine, listening on the shared --listen address (the primary accepts and hands out
 * connections); the HTTP listener is the primary's. A CancelRequest, pg_cancel_backend or
 * pg_terminate_backend for a sibling's session goes to the primary, which passes it on; so does
 * the request for the siblings' sessions that pg_stat_activity shows beside this worker's. SIGTERM or SIGINT (from the primary, or systemd's to the
 * whole control group) drain it as a single process drains (src/server/drain.ts); SIGHUP or the
 * primary's reload message reread the TLS and users files.
 */
/** The other workers' sessions, through the primary; none when it does not answer in time. */
class Gatherer {
  private nextId = 1;
  private readonly waiting = new Map<number, (rows: ActivityRow[]) => void>();

  gather(): Promise<ActivityRow[]> {
    const id = this.nextId++;
    return new Promise<ActivityRow[]>((resolve) => {
      if (!process.connected) return resolve([]);
      const timer = setTimeout(() => this.settle(id, []), GATHER_TIMEOUT_MS);
      this.waiting.set(id, (rows) => {
        clearTimeout(timer);
        resolve(rows);
      });
      send({ kind: 'gather', id });
    });
  }

  settle(id: number, rows: ActivityRow[]): void {
    const done = this.waiting.get(id);
    this.waiting.delete(id);
    done?.(rows);
  }
}

export async function runWorker(config: Config): Promise<number> {
  const index = Number(process.env[WORKER_INDEX_ENV]);
  const gatherer = new Gatherer();
  const logger = createLogger(config.logLevel).child({ worker: index });
  let gateway: Gateway;
  try {
    gateway = await startGateway(
      { ...config, httpListen: undefined },
      {
        logger,
        worker: {
          slot: { index, count: config.workers },
          siblings: {
            forward: (processId, secretKey) => send({ kind: 'cancel', processId, secretKey: secretKey.toString('hex') }),
            signal: (processId, action) => send({ kind: 'signal', processId, action }),
            activity: () => gatherer.gather(),
          },
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
      else if (message.kind === 'signal') signalled(gateway, message.processId, message.action);
      else if (message.kind === 'gathered') gatherer.settle(message.id, message.rows);
      else if (message.kind === 'reload') gateway.reload();
      else void answer(gateway, message.id, message.what).then(send);
    });
    // A second signal (systemd signals the whole control group, the primary passes its own on) changes nothing.
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('SIGHUP', () => void gateway.reload());
  });
}
