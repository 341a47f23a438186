/**
 * polaris-local's own test routes under /polaris-local/ (not Polaris API; docs/polaris-local.md,
 * "Test routes"): what each synchronous query was given and whether its caller aborted it, injected
 * platform errors, synchronous queries and asynchronous statements held running, and client revocation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseObject, readBody, sendEmpty, sendJson } from './http-util.js';
import type { TokenIssuer } from './tokens.js';

export interface QueryRecord {
  sqlQueryId: string | null;
  /** context.timeout as given, or null. */
  timeoutMs: number | null;
  /** The caller closed the connection before the whole result was sent. */
  aborted: boolean;
  /** Druid's HTTP status, or null when the caller left before it answered. */
  status: number | null;
  done: boolean;
}

/** The statuses a fault may inject: the documented platform errors. */
export const FAULT_STATUSES = [403, 429, 503] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

export interface Debug {
  queries: QueryRecord[];
  /** The next `count` project requests answer this status. */
  fault: { status: FaultStatus; count: number } | undefined;
  /** Asynchronous statements stay RUNNING this long before their result is read. */
  statementHoldMs: number;
  /** Synchronous queries wait this long before they go to Druid. */
  queryHoldMs: number;
}

export const DEBUG_PREFIX = '/polaris-local/';
const MAX_RECORDS = 1000;

export function createDebug(): Debug {
  return { queries: [], fault: undefined, statementHoldMs: 0, queryHoldMs: 0 };
}

export function recordQuery(debug: Debug, record: QueryRecord): QueryRecord {
  debug.queries.push(record);
  if (debug.queries.length > MAX_RECORDS) debug.queries.shift();
  return record;
}

/** Takes one injected fault, if any. */
export function takeFault(debug: Debug): FaultStatus | undefined {
  const fault = debug.fault;
  if (fault === undefined) return undefined;
  fault.count--;
  if (fault.count <= 0) debug.fault = undefined;
  return fault.status;
}

export async function handleDebug(req: IncomingMessage, res: ServerResponse, path: string, debug: Debug, tokens: TokenIssuer): Promise<void> {
  const route = `${req.method ?? ''} ${path.slice(DEBUG_PREFIX.length)}`;
  if (route === 'GET queries') return sendJson(res, 200, { queries: debug.queries });
  if (route === 'DELETE queries') {
    debug.queries.length = 0;
    return sendEmpty(res, 204);
  }
  const body = req.method === 'POST' ? parseObject(await readBody(req, 64 * 1024)) : undefined;
  if (route === 'POST fault') {
    const status = FAULT_STATUSES.find((s) => s === body?.status);
    const count = typeof body?.count === 'number' ? body.count : 1;
    if (status === undefined) return sendJson(res, 400, { message: `status must be one of ${FAULT_STATUSES.join(', ')}` });
    debug.fault = { status, count };
    return sendEmpty(res, 204);
  }
  if (route === 'POST statement-hold' && typeof body?.ms === 'number' && body.ms >= 0) {
    debug.statementHoldMs = body.ms;
    return sendEmpty(res, 204);
  }
  if (route === 'POST query-hold' && typeof body?.ms === 'number' && body.ms >= 0) {
    debug.queryHoldMs = body.ms;
    return sendEmpty(res, 204);
  }
  if (route === 'POST revoke' && typeof body?.clientId === 'string') {
    tokens.revoke(body.clientId);
    return sendEmpty(res, 204);
  }
  sendJson(res, 404, { message: 'no such polaris-local test route' });
}
