/**
 * Messages between the primary process and its workers (--workers) over the node:cluster IPC
 * channel (https://nodejs.org/docs/latest-v20.x/api/cluster.html#workersendmessage-sendhandle-options-callback).
 */

import type { ActivityRow } from '../server/sibling-activity.js';

/** The environment variable that gives a worker its index (0..workers-1), kept by its replacement. */
export const WORKER_INDEX_ENV = 'POLARIS_PG_WORKER_INDEX';

/**
 * What the primary asks every worker when its HTTP listener answers /metrics, /health or
 * /health/ready, and 'activity' (its sessions as pg_stat_activity rows) for a worker that gathers
 * its siblings' sessions.
 */
export type Question = 'metrics' | 'health' | 'ready' | 'activity';

/** A CancelRequest (or a /peer/cancel) for a session of another worker; the secret key in hex. */
export interface CancelMessage {
  kind: 'cancel';
  processId: number;
  secretKey: string;
}

/** pg_cancel_backend / pg_terminate_backend of a sibling's session, whose permission the caller's worker checked. */
export interface SignalMessage {
  kind: 'signal';
  processId: number;
  action: 'cancel' | 'terminate';
}

export type { ActivityRow };

/** A worker asks for the sessions of every other worker (answered with 'gathered'). */
export interface GatherMessage {
  kind: 'gather';
  id: number;
}

export type ToWorker =
  | CancelMessage
  | SignalMessage
  | { kind: 'reload' }
  | { kind: 'ask'; id: number; what: Question }
  | { kind: 'gathered'; id: number; rows: ActivityRow[] };

export type Answer = { kind: 'answer'; id: number; ok: true; value: unknown } | { kind: 'answer'; id: number; ok: false; error: string };

export type ToPrimary = CancelMessage | SignalMessage | GatherMessage | Answer;
