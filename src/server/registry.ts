import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { MAX_WORKERS } from '../config/settings.js';

/** What CancelRequest and pg_cancel_backend/pg_terminate_backend reach. */
export interface Cancellable {
  /** Cancels the running query. */
  cancel(): void;
  /** Ends the connection (FATAL 57P01). */
  terminate(): void;
}

interface Entry {
  secret: Buffer;
  target: Cancellable;
}

/** Length of the BackendKeyData secret in protocol 3.0 (4 bytes). */
const SECRET_KEY_LENGTH = 4;
/**
 * A process ID is the instance ID (--instance-id, 8 bits: MAX_INSTANCE_ID in src/config/settings.ts) above a 22-bit session number, so any
 * instance can tell which one owns a CancelRequest; the result stays a positive int32. With
 * --workers above 1 the top WORKER_BITS of the session number are the worker's index, so any
 * worker can tell which sibling owns it.
 */
export const SESSION_BITS = 22;
const SESSION_LIMIT = 2 ** SESSION_BITS;
/** MAX_WORKERS workers at most, each numbering its sessions in the 16 bits left (MAX_CONNECTIONS_PER_WORKER). */
const WORKER_BITS = Math.log2(MAX_WORKERS);
const WORKER_SESSION_BITS = SESSION_BITS - WORKER_BITS;
const WORKER_SESSION_LIMIT = 2 ** WORKER_SESSION_BITS;
const FIRST_SESSION = 1;

/** The --instance-id that issued a BackendKeyData process ID. */
export function instanceOf(processId: number): number {
  return processId >>> SESSION_BITS;
}

/** The worker index that issued a BackendKeyData process ID (meaningful with --workers above 1). */
export function workerOf(processId: number): number {
  return (processId & (SESSION_LIMIT - 1)) >>> WORKER_SESSION_BITS;
}

/** This process's place among the --workers of one instance; count 1: a single process. */
export interface WorkerSlot {
  index: number;
  count: number;
}

/**
 * Open client connections by process ID, with their BackendKeyData secrets, for CancelRequest
 * and the connection limit. https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
 */
export class ConnectionRegistry {
  private readonly entries = new Map<number, Entry>();
  /** First process ID of this instance (and worker); sessions are numbered from it. */
  private readonly base: number;
  private readonly sessionLimit: number;
  /** Random start: a session number reused soon after a restart is unlikely. */
  private nextSession: number;

  constructor(
    readonly maxConnections: number,
    readonly instanceId = 0,
    readonly worker: WorkerSlot = { index: 0, count: 1 },
  ) {
    const split = worker.count > 1;
    this.sessionLimit = split ? WORKER_SESSION_LIMIT : SESSION_LIMIT;
    this.base = instanceId * SESSION_LIMIT + (split ? worker.index * WORKER_SESSION_LIMIT : 0);
    this.nextSession = randomInt(FIRST_SESSION, this.sessionLimit);
  }

  /** Whether a process ID of this instance was issued by this worker (always, with one worker). */
  owns(processId: number): boolean {
    return this.worker.count === 1 || workerOf(processId) === this.worker.index;
  }

  get size(): number {
    return this.entries.size;
  }

  get full(): boolean {
    return this.entries.size >= this.maxConnections;
  }

  /** Reserves a process ID and secret key for a new session. */
  register(target: Cancellable): { processId: number; secretKey: Buffer } {
    let processId: number;
    do {
      processId = this.base + this.nextSession;
      this.nextSession = this.nextSession + 1 >= this.sessionLimit ? FIRST_SESSION : this.nextSession + 1;
    } while (this.entries.has(processId));
    const secretKey = randomBytes(SECRET_KEY_LENGTH);
    this.entries.set(processId, { secret: secretKey, target });
    return { processId, secretKey };
  }

  unregister(processId: number): void {
    this.entries.delete(processId);
  }

  /** Cancels the query of the session with this pid when the secret matches; false otherwise. */
  cancel(processId: number, secretKey: Buffer): boolean {
    const entry = this.entries.get(processId);
    if (!entry || entry.secret.length !== secretKey.length || !timingSafeEqual(entry.secret, secretKey)) return false;
    entry.target.cancel();
    return true;
  }

  /** pg_cancel_backend / pg_terminate_backend: permission was checked by the catalog function. */
  signal(processId: number, action: 'cancel' | 'terminate'): boolean {
    const entry = this.entries.get(processId);
    if (!entry) return false;
    if (action === 'cancel') entry.target.cancel();
    else entry.target.terminate();
    return true;
  }

  processIds(): number[] {
    return [...this.entries.keys()];
  }
}
