/**
 * The HTTP listener (health, metrics, peer cancel) in a worker thread. A gateway streaming many
 * large results on few cores can leave its own event loop seconds behind; a balancer's health check
 * answered there times out, and when every instance is loaded alike the balancer takes them all out
 * at once. In the worker, /health/ready and /health/live are answered at once from state the
 * gateway thread keeps current: the draining flag is shared memory (set by SIGTERM before the
 * listener closes), and the backend and catalog probe runs on the gateway thread at most once per
 * FRESH_MS, the last finished probe's answer standing while a newer one is under way (up to
 * PROBE_LIMIT_MS). Every other
 * request (/health, /metrics, /peer/cancel) is handed to the gateway thread and answered from there.
 *
 * The worker's code is a CommonJS script loaded with eval, so it runs the same from the TypeScript
 * sources and from the build (as src/catalog/pglite-worker.ts does).
 */
import { Worker } from 'node:worker_threads';

/** Largest request body the listener reads (a forwarded cancel is under 200 bytes). */
export const MAX_BODY_BYTES = 4096;
/** A probe result this recent answers a readiness check without probing again. */
const FRESH_MS = 1_000;
/**
 * A probe still running after this long makes the instance not ready; until then the last
 * finished probe's answer stands (a loaded instance answers its probes slowly, not wrongly). It
 * matches the probe's own limit (src/server/readiness.ts).
 */
export const PROBE_LIMIT_MS = 20_000;
/** The gateway thread's heartbeat period, and how long without one /health/live reports 503. */
const HEARTBEAT_MS = 1_000;
const LIVE_STALL_MS = 30_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const w = workerData;
const draining = new Int32Array(w.draining);
let okFields = null, lastFailure = null, probeAskedAt = 0, probeOutstanding = false, heartbeatAt = Date.now();
let waiters = [];
let nextId = 1;
const pending = new Map();

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
function readyAnswer(res) {
  if (Atomics.load(draining, 0) === 1) return json(res, 503, { status: 'unavailable', error: 'shutting down' });
  if (lastFailure !== null) return json(res, 503, { status: 'unavailable', error: lastFailure });
  if (probeOutstanding && Date.now() - probeAskedAt > w.probeLimitMs) return json(res, 503, { status: 'unavailable', error: 'readiness checks took over ' + w.probeLimitMs + ' ms' });
  if (okFields === null) return json(res, 503, { status: 'unavailable', error: 'readiness checks have not finished' });
  json(res, 200, { status: 'ok', ...okFields });
}
function ready(res) {
  const now = Date.now();
  if (!probeOutstanding && now - probeAskedAt >= w.freshMs) {
    probeAskedAt = now;
    probeOutstanding = true;
    parentPort.postMessage({ op: 'probe' });
  }
  if (okFields === null && lastFailure === null && Atomics.load(draining, 0) === 0) {
    const timer = setTimeout(() => { waiters = waiters.filter((f) => f !== done); readyAnswer(res); }, w.probeLimitMs);
    const done = () => { clearTimeout(timer); readyAnswer(res); };
    waiters.push(done);
    return;
  }
  readyAnswer(res);
}
function forward(req, res, body) {
  const id = nextId++;
  pending.set(id, res);
  parentPort.postMessage({ op: 'request', id, method: req.method, path: (req.url || '/').split('?')[0], headers: req.headers, body });
}
const server = http.createServer((req, res) => {
  const path = (req.url || '/').split('?')[0];
  if (req.method === 'GET' && path === '/health/ready') return ready(res);
  if (req.method === 'GET' && path === '/health/live') {
    const age = Date.now() - heartbeatAt;
    return age > w.liveStallMs ? json(res, 503, { status: 'unavailable', error: 'the gateway thread has not run for ' + age + ' ms' }) : json(res, 200, { status: 'ok', pid: process.pid });
  }
  if (req.method !== 'POST') return forward(req, res, '');
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= w.maxBodyBytes) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > w.maxBodyBytes) res.writeHead(413).end();
    else forward(req, res, Buffer.concat(chunks).toString('utf8'));
  });
});
parentPort.on('message', (m) => {
  switch (m.op) {
    case 'heartbeat':
      heartbeatAt = Date.now();
      break;
    case 'probe-result':
      probeOutstanding = false;
      if (m.ok) { okFields = m.fields; lastFailure = null; } else { okFields = null; lastFailure = m.error; }
      for (const done of waiters.splice(0)) done();
      break;
    case 'response': {
      const res = pending.get(m.id);
      pending.delete(m.id);
      if (res) res.writeHead(m.status, m.headers).end(m.body);
      break;
    }
    case 'close':
      server.close(() => parentPort.postMessage({ op: 'closed' }));
      server.closeAllConnections();
      break;
  }
});
server.once('error', (err) => parentPort.postMessage({ op: 'error', message: err.message, code: err.code }));
server.listen(w.port, w.host, () => parentPort.postMessage({ op: 'listening', port: server.address().port }));
`;

/** A request the worker hands to the gateway thread. */
export interface ForwardedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ForwardedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpHandlers {
  /** The backend and catalog checks: resolves with the fields of a ready answer, rejects with why not. */
  probe(): Promise<Record<string, unknown>>;
  /** Answers every request other than /health/ready and /health/live. */
  handle(request: ForwardedRequest): Promise<ForwardedResponse>;
  /** The worker failed after it started (the listener is gone). */
  onError(err: Error): void;
}

type WorkerMessage =
  | { op: 'listening'; port: number }
  | { op: 'error'; message: string; code?: string }
  | { op: 'probe' }
  | ({ op: 'request'; id: number } & ForwardedRequest)
  | { op: 'closed' };

export class HttpListener {
  private probing = false;

  private constructor(
    private readonly worker: Worker,
    private readonly draining: Int32Array,
    readonly port: number,
    private readonly heartbeat: NodeJS.Timeout,
  ) {}

  static async start(host: string, port: number, handlers: HttpHandlers): Promise<HttpListener> {
    const draining = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const workerData = { host, port, draining: draining.buffer, maxBodyBytes: MAX_BODY_BYTES, freshMs: FRESH_MS, probeLimitMs: PROBE_LIMIT_MS, liveStallMs: LIVE_STALL_MS };
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    const bound = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (m: WorkerMessage) => {
        if (m.op === 'listening') resolve(m.port);
        else reject(Object.assign(new Error(m.op === 'error' ? m.message : 'HTTP listener did not start'), { code: m.op === 'error' ? m.code : undefined }));
      });
    }).catch(async (err: unknown) => {
      await worker.terminate();
      throw err;
    });
    const heartbeat = setInterval(() => worker.postMessage({ op: 'heartbeat' }), HEARTBEAT_MS);
    heartbeat.unref();
    const listener = new HttpListener(worker, draining, bound, heartbeat);
    worker.on('message', (m: WorkerMessage) => listener.onMessage(m, handlers));
    worker.on('error', (err: Error) => handlers.onError(err));
    worker.unref();
    return listener;
  }

  /** From now on /health/ready answers 503 "shutting down". */
  setDraining(): void {
    Atomics.store(this.draining, 0, 1);
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    const closed = new Promise<void>((resolve) => this.worker.on('message', (m: WorkerMessage) => m.op === 'closed' && resolve()));
    this.worker.postMessage({ op: 'close' });
    await closed;
    await this.worker.terminate();
  }

  private onMessage(m: WorkerMessage, handlers: HttpHandlers): void {
    if (m.op === 'probe') {
      if (this.probing) return;
      this.probing = true;
      handlers.probe().then(
        (fields) => this.worker.postMessage({ op: 'probe-result', ok: true, fields }),
        (err: Error) => this.worker.postMessage({ op: 'probe-result', ok: false, error: err.message }),
      ).finally(() => {
        this.probing = false;
      });
    } else if (m.op === 'request') {
      const { id, ...request } = m;
      handlers.handle(request).then(
        (response) => this.worker.postMessage({ op: 'response', id, ...response }),
        (err: Error) => this.worker.postMessage({ op: 'response', id, status: 500, headers: { 'content-type': 'text/plain' }, body: err.message }),
      );
    }
  }
}
