import { randomBytes } from 'node:crypto';

/** The harness' Coordinator, which is also its Overlord (druid-harness/README.md). */
export function overlordUrl(): string {
  return process.env.POLARIS_PG_TEST_OVERLORD_URL ?? 'http://127.0.0.1:8081';
}

/** A fresh datasource name for a write test: always prefixed wtest_ (pwtest_ for Polaris tests), never a fixture table. */
export function scratchName(what: string, prefix: 'wtest' | 'pwtest' = 'wtest'): string {
  return `${prefix}_${what}_${randomBytes(4).toString('hex')}`;
}

/**
 * Removes a test datasource from the shared Druid: marks its segments unused, then submits a kill
 * task for them so deep storage stays small too.
 */
export async function dropDatasource(name: string): Promise<void> {
  if (!name.startsWith('wtest_') && !name.startsWith('pwtest_')) throw new Error(`refusing to drop ${name}: not a wtest_ or pwtest_ datasource`);
  const base = overlordUrl();
  await fetch(`${base}/druid/coordinator/v1/datasources/${encodeURIComponent(name)}`, { method: 'DELETE' });
  await fetch(`${base}/druid/indexer/v1/task`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'kill', dataSource: name, interval: '1000-01-01/3000-01-01' }),
  });
}
