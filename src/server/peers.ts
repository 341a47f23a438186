import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { instanceOf, type ConnectionRegistry } from './registry.js';
import type { ActivityRow } from './sibling-activity.js';

/** Header carrying the hex HMAC-SHA256 of a forwarded cancel's body under the shared secret. */
export const SIGNATURE_HEADER = 'x-polaris-pg-signature';
/** A forwarded cancel older or newer than this is refused (bounds replay of a captured request). */
const MAX_CLOCK_SKEW_MS = 30_000;
/** A peer that does not answer within this time is given up on (the cancel is best effort, as in PostgreSQL). */
const FORWARD_TIMEOUT_MS = 5_000;
const PEER_PATH = '/peer/cancel';

interface ForwardedCancel {
  processId: number;
  secretKey: string;
  sentAt: number;
}

function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * CancelRequest forwarding between instances behind one balancer: the instance a CancelRequest
 * reaches posts it, signed with the shared secret (POLARIS_PG_PEER_SECRET, never logged), to the
 * instance named by the process ID's instance bits, which checks the signature and the secret key.
 */
export class PeerLink {
  constructor(
    private readonly peers: ReadonlyMap<number, URL>,
    private readonly secret: string,
    private readonly logger: Logger,
  ) {}

  /** Sends the cancel to its owner; resolves whatever the outcome (the client waits for nothing). */
  async forward(instanceId: number, processId: number, secretKey: Buffer): Promise<void> {
    const peer = this.peers.get(instanceId);
    if (peer === undefined) {
      this.logger.debug({ pid: processId, instance: instanceId }, 'cancel request for an unknown instance ignored');
      return;
    }
    const body = JSON.stringify({ processId, secretKey: secretKey.toString('hex'), sentAt: Date.now() } satisfies ForwardedCancel);
    try {
      const res = await fetch(new URL(PEER_PATH, peer), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(this.secret, body) },
        body,
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      });
      if (res.status !== 204) this.logger.warn({ pid: processId, instance: instanceId, status: res.status }, 'peer refused a forwarded cancel request');
    } catch (err) {
      this.logger.warn({ pid: processId, instance: instanceId, err: (err as Error).message }, 'could not forward a cancel request to its instance');
    }
  }

  /** Checks a forwarded cancel: the HTTP status to answer, and the cancel to carry out when it is genuine. */
  receive(body: string, headers: IncomingHttpHeaders, cancel: (processId: number, secretKey: Buffer) => void): number {
    const given = Buffer.from(String(headers[SIGNATURE_HEADER] ?? ''), 'hex');
    const expected = Buffer.from(sign(this.secret, body), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 403;
    let parsed: Partial<ForwardedCancel>;
    try {
      parsed = JSON.parse(body) as Partial<ForwardedCancel>;
    } catch {
      return 400;
    }
    const { processId, secretKey, sentAt } = parsed;
    if (!Number.isInteger(processId) || typeof secretKey !== 'string' || typeof sentAt !== 'number') return 400;
    if (Math.abs(Date.now() - sentAt) > MAX_CLOCK_SKEW_MS) return 403;
    cancel(processId as number, Buffer.from(secretKey, 'hex'));
    return 204;
  }
}

/** The other --workers of this instance, reached through the primary process (src/cluster/primary.ts). */
export interface SiblingLink {
  forward(processId: number, secretKey: Buffer): void;
  /** pg_cancel_backend / pg_terminate_backend of a sibling's session (the permission was checked here). */
  signal(processId: number, action: 'cancel' | 'terminate'): void;
  /** The siblings' sessions, for pg_stat_activity (src/server/sibling-activity.ts). */
  activity(): Promise<ActivityRow[]>;
}

/** What routing a CancelRequest needs of the gateway. */
export interface CancelRouting {
  registry: ConnectionRegistry;
  metrics: Metrics;
  peers: PeerLink | null;
  siblings: Pick<SiblingLink, 'forward'> | null;
}

/**
 * CancelRequest: carried out here when this process owns the process ID, else sent to the worker
 * of this instance that owns it (--workers), else forwarded to the owning instance (--peers).
 */
export function routeCancel(ctx: CancelRouting, processId: number, secretKey: Buffer): void {
  const owner = instanceOf(processId);
  if (owner === ctx.registry.instanceId && ctx.registry.owns(processId)) {
    ctx.metrics.cancelRequests.inc({ route: 'local' });
    ctx.registry.cancel(processId, secretKey);
  } else if (owner === ctx.registry.instanceId) {
    ctx.metrics.cancelRequests.inc({ route: 'worker' });
    ctx.siblings?.forward(processId, secretKey);
  } else if (ctx.peers !== null) {
    ctx.metrics.cancelRequests.inc({ route: 'forwarded' });
    void ctx.peers.forward(owner, processId, secretKey);
  }
}
