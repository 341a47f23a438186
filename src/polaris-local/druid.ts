/**
 * The Druid calls polaris-local makes besides forwarding queries: small SQL queries answered as JSON
 * objects (POST /druid/v2/sql on the broker or router, resultFormat object) and the Overlord task API
 * (POST /druid/indexer/v1/task, GET .../task/{id}/status, POST .../task/{id}/shutdown) on the
 * Overlord, or the router when it proxies the Overlord:
 * https://druid.apache.org/docs/latest/api-reference/sql-api and .../tasks-api
 */
import { request } from 'undici';

const SIDE_TIMEOUT_MS = 30_000;

export class DruidError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`Druid answered HTTP ${status}: ${body.slice(0, 500)}`);
  }
}

export interface Druid {
  sql(query: string, parameters?: { type: string; value: unknown }[], context?: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  submitTask(spec: unknown): Promise<string>;
  taskStatus(taskId: string): Promise<{ status: string; errorMsg?: string } | undefined>;
  shutdownTask(taskId: string): Promise<void>;
}

export function createDruid(druidUrl: string, overlordUrl: string): Druid {
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    const base = (path.startsWith('/druid/indexer/') ? overlordUrl : druidUrl).replace(/\/+$/, '');
    const response = await request(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(SIDE_TIMEOUT_MS),
    });
    const text = await response.body.text();
    if (response.statusCode === 404 && method === 'GET') return undefined;
    if (response.statusCode < 200 || response.statusCode >= 300) throw new DruidError(response.statusCode, text);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };
  return {
    async sql(query, parameters = [], context = {}) {
      return (await call('POST', '/druid/v2/sql', { query, parameters, context, resultFormat: 'object' })) as Record<string, unknown>[];
    },
    async submitTask(spec) {
      const answer = (await call('POST', '/druid/indexer/v1/task', spec)) as { task: string };
      return answer.task;
    },
    async taskStatus(taskId) {
      const answer = (await call('GET', `/druid/indexer/v1/task/${encodeURIComponent(taskId)}/status`)) as { status?: { status: string; errorMsg?: string } } | undefined;
      return answer?.status;
    },
    async shutdownTask(taskId) {
      await call('POST', `/druid/indexer/v1/task/${encodeURIComponent(taskId)}/shutdown`);
    },
  };
}
