import { AggregatorRegistry, Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { parsePeers } from '../config/peers.js';
import type { Config } from '../config/settings.js';
import { startHttpServer, type MetricsSource } from '../observability/http.js';
import type { HttpListener } from '../observability/http-worker.js';
import { createLogger } from '../observability/logger.js';
import { PeerLink } from '../server/peers.js';
import type { Answer, Question } from './messages.js';
import { WorkerPool } from './pool.js';

type Answers = Array<{ index: number; answer: Answer }>;

/** The workers' answers when every one is ok; rejects naming the first that is not, or when none listens. */
function allOk(answers: Answers): Array<Record<string, unknown>> {
  if (answers.length === 0) throw new Error('no worker is listening');
  return answers.map(({ index, answer }) => {
    if (!answer.ok) throw new Error(`worker ${index}: ${answer.error}`);
    return answer.value as Record<string, unknown>;
  });
}

function connections(values: Array<Record<string, unknown>>): number {
  return values.reduce((sum, v) => sum + Number(v.connections ?? 0), 0);
}

/** The primary's own metrics: its process, and its workers. */
function primaryRegistry(): { registry: Registry; workers: Gauge; restarts: Counter } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'polaris_pg_' });
  const workers = new Gauge({ name: 'polaris_pg_workers', help: 'Worker processes listening (--workers)', registers: [registry] });
  const restarts = new Counter({ name: 'polaris_pg_worker_restarts_total', help: 'Workers that ended unasked and were replaced', registers: [registry] });
  return { registry, workers, restarts };
}

/**
 * `serve --workers N` (N > 1): forks N gateways sharing --listen (src/cluster/pool.ts) and serves
 * the instance's HTTP listener itself: /metrics sums the workers' metrics and its own (prom-client's
 * AggregatorRegistry), /health and /health/ready are ok when every listening worker's are, and
 * /peer/cancel is passed to the worker that owns the session. SIGTERM or SIGINT stop every worker
 * (each drains); SIGHUP has every worker reload. Resolves with the exit code once all have ended.
 */
export async function runPrimary(config: Config): Promise<number> {
  const logger = createLogger(config.logLevel).child({ role: 'primary' });
  const own = primaryRegistry();
  const peers = config.peers === undefined ? null : new PeerLink(parsePeers(config.peers, config.instanceId), config.peerSecret ?? '', logger);
  let http: HttpListener | undefined;
  let failed = false;
  let stopping = false;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));

  const pool = new WorkerPool(config.workers, logger, {
    started(address) {
      const host = address.address.includes(':') ? `[${address.address}]` : address.address;
      own.workers.set(config.workers);
      logger.info({ host: address.address, port: address.port, workers: config.workers, instance: config.instanceId }, 'listening');
      process.stderr.write(`polaris-pg listening on ${host}:${address.port} (${config.workers} workers)\n`);
    },
    failedToStart(index, code) {
      failed = true;
      process.stderr.write(`polaris-pg: worker ${index} ended (code ${code}) before it listened\n`);
      pool.stop();
    },
    replaced() {
      own.restarts.inc();
    },
    stopped(clean) {
      void (http?.close() ?? Promise.resolve()).then(() => {
        logger.flush?.();
        finish(clean && !failed ? 0 : 1);
      });
    },
  });
  const ask = async (what: Question): Promise<Array<Record<string, unknown>>> => {
    own.workers.set(pool.listening);
    return allOk(await pool.askAll(what));
  };

  if (config.httpListen) {
    const metrics: MetricsSource = {
      contentType: own.registry.contentType,
      async metrics() {
        const answers = await pool.askAll('metrics');
        own.workers.set(pool.listening);
        const parts = [await own.registry.getMetricsAsJSON(), ...answers.flatMap(({ answer }) => (answer.ok ? [answer.value as object[]] : []))];
        return AggregatorRegistry.aggregate(parts).metrics();
      },
    };
    try {
      http = await startHttpServer(config.httpListen.host, config.httpListen.port, metrics, {
        async health() {
          const values = await ask('health');
          return { ...values[0], connections: connections(values), workers: values.length };
        },
        async ready() {
          if (stopping) throw new Error('shutting down');
          const values = await ask('ready');
          if (stopping) throw new Error('shutting down');
          return { instance: config.instanceId, connections: connections(values), workers: values.length };
        },
        onError: (err) => logger.error({ err }, 'the HTTP listener failed'),
        ...(peers === null ? {} : { peerCancel: (body, headers) => peers.receive(body, headers, (pid, key) => pool.cancel(pid, key.toString('hex'))) }),
      });
    } catch (err) {
      // The workers were forked already: they end before the error is reported.
      failed = true;
      pool.stop();
      await done;
      throw err;
    }
  }

  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    http?.setDraining();
    logger.info({ workers: pool.listening }, 'stopping: every worker drains');
    pool.stop();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', () => pool.reload());
  return done;
}
