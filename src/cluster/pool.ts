import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../observability/logger.js';
import { workerOf } from '../server/registry.js';
import { PROBE_LIMIT_MS } from '../observability/http-worker.js';
import { WORKER_INDEX_ENV, type ActivityRow, type Answer, type Question, type SignalMessage, type ToPrimary, type ToWorker } from './messages.js';

/** A worker that ended unasked is replaced after this long, doubled while replacements end before listening. */
const RESPAWN_DELAY_MS = 1_000;
const MAX_RESPAWN_DELAY_MS = 30_000;
/** A worker that has not answered a question within this long counts as failing it (the readiness probe's own limit). */
const ASK_TIMEOUT_MS = PROBE_LIMIT_MS;
/**
 * A worker that has not given its sessions within this long is left out of a sibling's
 * pg_stat_activity: the asking worker's catalog engine waits for the answer (GATHER_TIMEOUT_MS of
 * src/cluster/worker.ts is longer).
 */
export const ACTIVITY_TIMEOUT_MS = 2_000;

interface Slot {
  worker: Worker | null;
  listening: boolean;
  /** The next replacement's delay. */
  respawnDelayMs: number;
  respawnTimer: NodeJS.Timeout | null;
}

export interface PoolEvents {
  /** Every worker listened once: the address they share. */
  started(address: { address: string; port: number }): void;
  /** A worker ended before the pool started (a setting or the listen address is wrong). */
  failedToStart(index: number, code: number | null): void;
  /** A worker ended unasked; a replacement is forked. */
  replaced(): void;
  /** Stopping, and the last worker ended; true when every worker exited with code 0. */
  stopped(clean: boolean): void;
}

/** Sends over the IPC channel; a worker that ended meanwhile is skipped (its exit event follows). */
function send(worker: Worker, message: ToWorker, failed: () => void = () => undefined): void {
  if (!worker.isConnected()) return failed();
  worker.send(message, (err: Error | null) => {
    if (err) failed();
  });
}

/**
 * The primary's --workers: forks them (node:cluster; the primary accepts on --listen and hands
 * each connection to a worker in turn, https://nodejs.org/docs/latest-v20.x/api/cluster.html#how-it-works),
 * replaces one that ends unasked, passes cancels and signals between them, gathers their sessions
 * for a worker's pg_stat_activity and asks them for their metrics and health.
 */
export class WorkerPool {
  private readonly slots: Slot[];
  private started = false;
  private stopping = false;
  private clean = true;
  private nextAsk = 1;
  private readonly waiting = new Map<number, { worker: Worker; settle: (answer: Answer) => void; timer: NodeJS.Timeout }>();

  constructor(
    count: number,
    private readonly logger: Logger,
    private readonly events: PoolEvents,
  ) {
    this.slots = Array.from({ length: count }, () => ({ worker: null, listening: false, respawnDelayMs: RESPAWN_DELAY_MS, respawnTimer: null }));
    this.slots.forEach((_slot, index) => this.fork(index));
  }

  /** Workers listening now. */
  get listening(): number {
    return this.slots.filter((s) => s.listening).length;
  }

  /** A cancel for a session of this instance: to the worker whose index the process ID carries. */
  cancel(processId: number, secretKey: string): void {
    const worker = this.slots[workerOf(processId)]?.worker;
    if (worker) send(worker, { kind: 'cancel', processId, secretKey });
  }

  /** pg_cancel_backend / pg_terminate_backend of a session of this instance: to the worker that owns it. */
  signal(message: SignalMessage): void {
    const worker = this.slots[workerOf(message.processId)]?.worker;
    if (worker) send(worker, message);
  }

  /**
   * The sessions of every listening worker but `asker`, for its pg_stat_activity; a worker that
   * does not answer within ASK_TIMEOUT_MS is left out.
   */
  private async gather(asker: Worker, id: number): Promise<void> {
    const answers = await this.askAll('activity', asker);
    const rows = answers.flatMap(({ answer }) => (answer.ok ? (answer.value as ActivityRow[]) : []));
    send(asker, { kind: 'gathered', id, rows });
  }

  /** SIGHUP: every running worker rereads the TLS and users files (one still starting reads them anyway). */
  reload(): void {
    for (const slot of this.slots) if (slot.worker) send(slot.worker, { kind: 'reload' });
  }

  /** Asks every listening worker (but `except`); each answer in the order of the workers' indexes. */
  askAll(what: Question, except: Worker | null = null): Promise<Array<{ index: number; answer: Answer }>> {
    const asked = this.slots.flatMap((slot, index) => (slot.listening && slot.worker !== except && slot.worker?.isConnected() ? [{ index, worker: slot.worker }] : []));
    const timeoutMs = what === 'activity' ? ACTIVITY_TIMEOUT_MS : ASK_TIMEOUT_MS;
    return Promise.all(asked.map(async ({ index, worker }) => ({ index, answer: await this.ask(worker, what, timeoutMs) })));
  }

  /**
   * Stops every worker with SIGTERM: each drains as a single gateway does (src/server/drain.ts); one
   * still starting has no session and ends at once. events.stopped follows.
   */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const slot of this.slots) if (slot.respawnTimer !== null) clearTimeout(slot.respawnTimer);
    for (const slot of this.slots) slot.worker?.process.kill('SIGTERM');
    this.checkStopped();
  }

  private ask(worker: Worker, what: Question, timeoutMs: number): Promise<Answer> {
    const id = this.nextAsk++;
    return new Promise<Answer>((settle) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        settle({ kind: 'answer', id, ok: false, error: `worker did not answer within ${timeoutMs} ms` });
      }, timeoutMs);
      this.waiting.set(id, { worker, settle, timer });
      send(worker, { kind: 'ask', id, what }, () => this.settle({ kind: 'answer', id, ok: false, error: 'the worker ended' }));
    });
  }

  private fork(index: number): void {
    const slot = this.slots[index] as Slot;
    slot.respawnTimer = null;
    const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index) });
    slot.worker = worker;
    worker.on('message', (message: ToPrimary) => {
      if (message.kind === 'cancel') this.cancel(message.processId, message.secretKey);
      else if (message.kind === 'signal') this.signal(message);
      else if (message.kind === 'gather') void this.gather(worker, message.id);
      else this.settle(message);
    });
    worker.on('listening', (address: { address: string; port: number }) => {
      slot.listening = true;
      slot.respawnDelayMs = RESPAWN_DELAY_MS;
      if (!this.started && this.slots.every((s) => s.listening)) {
        this.started = true;
        this.events.started(address);
      }
    });
    // The IPC channel of a worker that died closes before its exit event: it gets no more connections or questions.
    worker.on('disconnect', () => (slot.listening = false));
    worker.on('exit', (code, signal) => this.exited(index, worker, code, signal));
  }

  private exited(index: number, worker: Worker, code: number | null, signal: string | null): void {
    const slot = this.slots[index] as Slot;
    const wasListening = slot.listening;
    for (const [id, waiter] of this.waiting) if (waiter.worker === worker) this.settle({ kind: 'answer', id, ok: false, error: 'the worker ended' });
    slot.worker = null;
    slot.listening = false;
    if (this.stopping) {
      if (code !== 0 && signal !== 'SIGTERM') this.clean = false;
      this.checkStopped();
      return;
    }
    if (!this.started) {
      this.events.failedToStart(index, code);
      return;
    }
    this.logger.error({ worker: index, pid: worker.process.pid, code, signal, respawnInMs: slot.respawnDelayMs }, 'worker ended; starting a replacement');
    this.events.replaced();
    slot.respawnTimer = setTimeout(() => this.fork(index), slot.respawnDelayMs);
    if (!wasListening) slot.respawnDelayMs = Math.min(slot.respawnDelayMs * 2, MAX_RESPAWN_DELAY_MS);
  }

  private settle(answer: Answer): void {
    const waiter = this.waiting.get(answer.id);
    if (waiter === undefined) return;
    this.waiting.delete(answer.id);
    clearTimeout(waiter.timer);
    waiter.settle(answer);
  }

  private checkStopped(): void {
    if (this.slots.every((s) => s.worker === null)) this.events.stopped(this.clean);
  }
}
