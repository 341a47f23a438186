/**
 * Memory while paging a 1M-row asynchronous Polaris result (docs/polaris.md, "Asynchronous
 * queries"): polaris-local runs in this process on the real Druid (POLARIS_PG_TEST_DRUID_URL), the
 * gateway in a child process in Polaris mode with `options=-c polaris.query_mode=async`, and a client
 * reads the result through a cursor, FETCH 20000 at a time. The gateway's RSS is sampled every 100 ms
 * from /proc; the same query in sync mode is measured for comparison. The query joins every one of
 * the 10,000 events to 100 customers (a join key that is always 0), so nothing is ingested into the
 * shared Druid.
 *
 *   POLARIS_PG_TEST_DRUID_URL=http://127.0.0.1:8082 npx tsx bench/async-rss.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DEFAULT_EVENT_FLUSH_MS } from '../src/polaris-local/options.js';
import { startPolarisLocal } from '../src/polaris-local/server.js';

const DRUID = process.env.POLARIS_PG_TEST_DRUID_URL ?? 'http://127.0.0.1:8082';
const PORT = Number(process.env.PORT ?? 55437);
const API_KEY = 'bench-api-key';
const FETCH_ROWS = 20_000;
const SQL = 'SELECT e.user_id, e.country, e.bytes, c.customer_id FROM events e JOIN (SELECT customer_id, 0 AS k FROM customers GROUP BY customer_id ORDER BY customer_id LIMIT 100) c ON e.is_bot * 0 = c.k';

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function lineFrom(child: ChildProcess, marker: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`no "${marker}" from the gateway within 60 s: ${buffered}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      if (buffered.includes(marker)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

const stateDir = mkdtempSync(join(tmpdir(), 'async-rss-'));
const local = await startPolarisLocal({
  druidUrl: DRUID,
  overlordUrl: DRUID,
  host: '127.0.0.1',
  port: 0,
  stateDir,
  apiKey: API_KEY,
  projectId: '6c0f3a52-2b7e-4d1a-9a39-0d0a3f1f6b21',
  clients: [],
  tokenTtlS: 300,
  eventsPerMinute: 0,
  eventFlushMs: DEFAULT_EVENT_FLUSH_MS,
});
const gateway = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--workers', '1', '--polaris-url', local.url, '--project', local.projectId, '--listen', `127.0.0.1:${PORT}`, '--log-level', 'info'], {
  env: { ...process.env, POLARIS_PG_POLARIS_API_KEY: API_KEY },
  stdio: ['ignore', 'pipe', 'pipe'],
});
await lineFrom(gateway, 'listening');
const pid = gateway.pid as number;

async function measure(mode: 'sync' | 'async'): Promise<{ rows: number; ms: number; baseline: number; peak: number }> {
  const client = new pg.Client({ host: '127.0.0.1', port: PORT, user: 'bench', database: 'druid', options: `-c polaris.query_mode=${mode}` });
  await client.connect();
  const baseline = rssMiB(pid);
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 100);
  const started = Date.now();
  let rows = 0;
  await client.query('BEGIN');
  await client.query(`DECLARE c CURSOR FOR ${SQL}`);
  for (;;) {
    const batch = await client.query({ text: `FETCH ${FETCH_ROWS} FROM c`, rowMode: 'array' });
    if (batch.rows.length === 0) break;
    rows += batch.rows.length;
  }
  await client.query('COMMIT');
  clearInterval(timer);
  peak = Math.max(peak, rssMiB(pid));
  await client.end();
  return { rows, ms: Date.now() - started, baseline, peak };
}

try {
  for (const mode of ['sync', 'async', 'sync', 'async'] as const) {
    const r = await measure(mode);
    console.log(`${mode.padEnd(5)} rows ${r.rows}  ${(r.ms / 1000).toFixed(1)} s  gateway RSS ${r.baseline.toFixed(0)} MiB before, peak ${r.peak.toFixed(0)} MiB (+${(r.peak - r.baseline).toFixed(0)} MiB)`);
  }
} finally {
  gateway.kill('SIGTERM');
  await local.close();
  rmSync(stateDir, { recursive: true, force: true });
}
