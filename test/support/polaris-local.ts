import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EVENT_FLUSH_MS, type PolarisLocalOptions } from '../../src/polaris-local/options.js';
import { startPolarisLocal, type PolarisLocal } from '../../src/polaris-local/server.js';
import { checkExchange, responseProblems } from './openapi.js';

export const TEST_API_KEY = 'pok_local-test-key';
export const TEST_PROJECT = '5b1e1c3e-9c1a-4b4e-8f3a-2d6c9a7e0b11';
export const TEST_CLIENT = { id: 'test-client', secret: 'test-secret' };

/**
 * A polaris-local on an ephemeral loopback port with a fresh state directory (unless one is given), in
 * validation mode: its `validation` holds every departure from the OpenAPI extract it saw.
 */
export function startTestPolarisLocal(options: Partial<PolarisLocalOptions> & { druidUrl: string }): Promise<PolarisLocal> {
  return startPolarisLocal({
    overlordUrl: options.druidUrl,
    host: '127.0.0.1',
    port: 0,
    stateDir: options.stateDir ?? mkdtempSync(join(tmpdir(), 'polaris-local-')),
    apiKey: TEST_API_KEY,
    projectId: TEST_PROJECT,
    clients: [TEST_CLIENT],
    tokenTtlS: 300,
    eventsPerMinute: 0,
    eventFlushMs: DEFAULT_EVENT_FLUSH_MS,
    validate: checkExchange,
    ...options,
  });
}

export function projectUrl(local: PolarisLocal, path: string): string {
  return `${local.url}/v1/projects/${local.projectId}${path}`;
}

/** The API key as Basic base64("key:"), what the SDK sends. */
export const API_KEY_BASIC = `Basic ${Buffer.from(`${TEST_API_KEY}:`).toString('base64')}`;
/** The raw form, `Basic KEY`. */
export const API_KEY_RAW = `Basic ${TEST_API_KEY}`;

export async function fetchToken(local: PolarisLocal, client = TEST_CLIENT): Promise<Response> {
  return fetch(local.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }).toString(),
  });
}

/**
 * A JSON request to a project route with the API key. The answer is checked against the OpenAPI
 * extract (test/support/openapi.ts): a departure throws.
 */
export async function call(local: PolarisLocal, method: string, path: string, body?: unknown, authorization = API_KEY_BASIC): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(projectUrl(local, path), {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const requested = typeof body === 'object' && body !== null && 'resultFormat' in body ? String(body.resultFormat) : null;
  const text = await checkedText(res, method, requested);
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** The body of a polaris-local answer, after checking the exchange against the OpenAPI extract. */
export async function checkedText(res: Response, method: string, resultFormat: string | null = null): Promise<string> {
  const text = await res.text();
  const url = new URL(res.url);
  const problems = responseProblems({ method, path: url.pathname, resultFormat: url.searchParams.get('resultFormat') ?? resultFormat, status: res.status, contentType: res.headers.get('content-type'), body: text });
  if (problems.length > 0) throw new Error(`${method} ${url.pathname} ${res.status} departs from the OpenAPI document:\n${problems.join('\n')}\n${text.slice(0, 500)}`);
  return text;
}

/**
 * The harness Overlord: POLARIS_PG_TEST_OVERLORD_URL, else the broker's port minus one (the harness
 * puts the Coordinator-Overlord at PORT_BASE + 1 and the broker at PORT_BASE + 2: druid-harness/bin/lib.sh).
 */
export function overlordUrl(druid: string): string {
  const given = process.env.POLARIS_PG_TEST_OVERLORD_URL;
  if (given !== undefined && given !== '') return given;
  const url = new URL(druid);
  url.port = String(Number(url.port) - 1);
  return url.toString().replace(/\/$/, '');
}

/** Removes a plocal_ datasource from the shared Druid: shuts its tasks down, marks its segments unused, kills them. */
export async function dropPlocalDatasource(overlord: string, datasource: string): Promise<void> {
  if (!datasource.startsWith('plocal_')) throw new Error(`refusing to drop ${datasource}: only plocal_ datasources belong to these tests`);
  const ds = encodeURIComponent(datasource);
  await fetch(`${overlord}/druid/indexer/v1/datasources/${ds}/shutdownAllTasks`, { method: 'POST' });
  await fetch(`${overlord}/druid/coordinator/v1/datasources/${ds}`, { method: 'DELETE' });
  await fetch(`${overlord}/druid/indexer/v1/task`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'kill', dataSource: datasource, interval: '1000-01-01/3000-01-01' }),
  });
}
