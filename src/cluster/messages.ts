/**
 * Messages between the primary process and its workers (--workers) over the node:cluster IPC
 * channel (https://nodejs.org/docs/latest-v20.x/api/cluster.html#workersendmessage-sendhandle-options-callback).
 */

/** The environment variable that gives a worker its index (0..workers-1), kept by its replacement. */
export const WORKER_INDEX_ENV = 'POLARIS_PG_WORKER_INDEX';

/** What the primary asks every worker when its HTTP listener answers /metrics, /health or /health/ready. */
export type Question = 'metrics' | 'health' | 'ready';

/** A CancelRequest (or a /peer/cancel) for a session of another worker; the secret key in hex. */
export interface CancelMessage {
  kind: 'cancel';
  processId: number;
  secretKey: string;
}

export type ToWorker = CancelMessage | { kind: 'reload' } | { kind: 'ask'; id: number; what: Question };

export type Answer = { kind: 'answer'; id: number; ok: true; value: unknown } | { kind: 'answer'; id: number; ok: false; error: string };

export type ToPrimary = CancelMessage | Answer;
