/**
 * PGlite in a worker thread. PGlite runs a statement synchronously inside WebAssembly, and
 * PostgreSQL's statement_timeout does not fire there, so on the gateway's own thread one catalog
 * statement such as `SELECT count(*) FROM generate_series(1, 1e10)` would stop every other
 * connection (data queries, cancel requests) until it ended. In a worker it only holds the catalog;
 * a statement that runs past the time limit ends the worker (the engine then starts afresh), and a
 * reply larger than MAX_REPLY_BYTES is dropped in the worker instead of growing the gateway's heap.
 *
 * The worker's code is a CommonJS script (loaded with eval), so it runs the same from the
 * TypeScript sources and from the build; it loads PGlite's CommonJS entry by absolute path.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The largest reply the worker hands back; beyond it the reply is replaced by `overflow`. */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;
/**
 * Time allowed for the engine's own work: PGlite's start (initdb on a first start takes about
 * 2.5 s), its bootstrap, and mirror rebuilds (0.7 s for 500 tables).
 */
export const INTERNAL_TIMEOUT_MS = 120_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
let db = null;

async function exchange(bytes) {
  const chunks = [];
  let size = 0;
  let overflow = false;
  await db.execProtocolRawStream(bytes, {
    // In memory there is nothing to write out; a data directory is written by close().
    syncToFs: workerData.dataDir !== undefined,
    onRawData: (data) => {
      if (overflow) return;
      size += data.length;
      if (size > workerData.maxReplyBytes) {
        overflow = true;
        chunks.length = 0;
        return;
      }
      chunks.push(data.slice());
    },
  });
  if (overflow) return { overflow: true };
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes: out };
}

async function handle(message) {
  switch (message.op) {
    case 'start': {
      const options = {};
      if (message.dataDir !== undefined) options.dataDir = message.dataDir;
      if (message.seed !== undefined) options.loadDataDir = new Blob([message.seed]);
      options.pgliteWasmModule = workerData.wasmModule;
      options.fsBundle = new Blob([workerData.fsBundle]);
      db = new PGlite(options);
      await db.waitReady;
      return {};
    }
    case 'exchange':
      return exchange(message.bytes);
    case 'dump': {
      const blob = await db.dumpDataDir('none');
      return { bytes: new Uint8Array(await blob.arrayBuffer()) };
    }
    case 'close':
      if (db !== null) await db.close();
      db = null;
      return {};
    default:
      throw new Error('unknown operation ' + message.op);
  }
}

parentPort.on('message', (message) => {
  handle(message).then(
    (reply) => parentPort.postMessage({ id: message.id, ...reply }, reply.bytes === undefined ? [] : [reply.bytes.buffer]),
    (error) => parentPort.postMessage({ id: message.id, error: String((error && error.stack) || error) }),
  );
});
`;

/** The worker ended a statement that ran past the time limit. */
export class CatalogTimeout extends Error {}
/** The worker was ended because its statement ran past the time slice while others waited (time-slice.ts). */
export class CatalogPreempted extends Error {}
/** The worker failed (PGlite aborted, the thread died) or was closed. */
export class CatalogFailure extends Error {}

interface Reply {
  id: number;
  bytes?: Uint8Array;
  overflow?: boolean;
  error?: string;
}

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | null;
}

export interface WorkerStart {
  dataDir?: string;
  /** Replies larger than this are dropped (default MAX_REPLY_BYTES). */
  maxReplyBytes?: number;
  /** A data directory tar (seed.ts) to start from. */
  seed?: Uint8Array;
}

/** What every worker's PGlite starts from, read and compiled once per process. */
interface PgliteArtifacts {
  pglitePath: string;
  /** pglite.wasm compiled: a WebAssembly.Module sent to a worker shares its compiled code. */
  wasmModule: object;
  /** pglite.data, PostgreSQL's share files that PGlite unpacks at start. */
  fsBundle: Uint8Array;
}

let artifacts: Promise<PgliteArtifacts> | null = null;

/** Node's WebAssembly global (the project's TypeScript lib has no DOM types that declare it). */
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } };

/**
 * PGlite's artifacts, next to its CommonJS entry in dist/: compiling pglite.wasm (9 MB) is a large
 * part of a start from the seed, so a restarted engine reuses the compiled module (PGlite's
 * `pgliteWasmModule` and `fsBundle` options, https://pglite.dev/docs/api).
 */
function pgliteArtifacts(): Promise<PgliteArtifacts> {
  artifacts ??= (async () => {
    const pglitePath = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const dist = dirname(pglitePath);
    const [wasm, fsBundle] = await Promise.all([readFile(join(dist, 'pglite.wasm')), readFile(join(dist, 'pglite.data'))]);
    return { pglitePath, wasmModule: await wasmApi.compile(wasm), fsBundle };
  })().catch((error: unknown) => {
    artifacts = null;
    throw error;
  });
  return artifacts;
}

export class PgliteWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 1;
  #failure: Error | null = null;

  private constructor(maxReplyBytes: number, dataDir: string | undefined, artifacts: PgliteArtifacts) {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...artifacts, maxReplyBytes, dataDir } });
    this.#worker.on('message', (reply: Reply) => this.#settle(reply));
    this.#worker.on('error', (error) => this.#fail(new CatalogFailure(`catalog engine failed: ${error.message}`)));
    this.#worker.on('exit', (code) => this.#fail(new CatalogFailure(`catalog engine exited (code ${code})`)));
    // An idle worker does not keep the process alive; one with a call in flight does.
    this.#worker.unref();
  }

  /** Starts PGlite in a new worker. */
  static async start(options: WorkerStart): Promise<PgliteWorker> {
    const { maxReplyBytes = MAX_REPLY_BYTES, ...start } = options;
    const worker = new PgliteWorker(maxReplyBytes, start.dataDir, await pgliteArtifacts());
    try {
      await worker.#call({ op: 'start', ...start }, INTERNAL_TIMEOUT_MS);
    } catch (error) {
      worker.terminate();
      throw error;
    }
    return worker;
  }

  /** Sends protocol messages; the reply bytes, or null when they exceeded MAX_REPLY_BYTES. */
  async exchange(bytes: Buffer, timeoutMs: number): Promise<Buffer | null> {
    const reply = await this.#call({ op: 'exchange', bytes }, timeoutMs);
    if (reply.overflow === true) return null;
    const out = reply.bytes ?? new Uint8Array(0);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  }

  /** The data directory as a tar (for the seed). */
  async dump(): Promise<Buffer> {
    const reply = await this.#call({ op: 'dump' }, INTERNAL_TIMEOUT_MS);
    const out = reply.bytes ?? new Uint8Array(0);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  }

  /** Closes PGlite (writing a data directory out) and ends the worker. */
  async close(): Promise<void> {
    if (this.#failure === null) await this.#call({ op: 'close' }, INTERNAL_TIMEOUT_MS);
    this.terminate();
  }

  /** Ends the worker at once because its statement's time slice ran out; pending calls fail with CatalogPreempted. */
  preempt(sliceMs: number): void {
    this.#fail(new CatalogPreempted(`catalog statement ran past its ${sliceMs} ms time slice while others waited`));
    void this.#worker.terminate();
  }

  /** Ends the worker at once; pending calls fail. */
  terminate(): void {
    this.#fail(new CatalogFailure('catalog engine closed'));
    void this.#worker.terminate();
  }

  /** Messages are copied (structured clone): Buffers may share a pooled ArrayBuffer, so none is transferred. */
  #call(message: Record<string, unknown>, timeoutMs: number): Promise<Reply> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#fail(new CatalogTimeout(`catalog statement ran longer than ${timeoutMs} ms`));
        void this.#worker.terminate();
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#worker.ref();
      this.#worker.postMessage({ ...message, id });
    });
  }

  #settle(reply: Reply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (pending.timer !== null) clearTimeout(pending.timer);
    if (reply.error !== undefined) pending.reject(new CatalogFailure(reply.error));
    else pending.resolve(reply);
  }

  /** Fails every pending call with `error`, and every later one. */
  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) {
      if (pending.timer !== null) clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }
}
