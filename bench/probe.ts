/**
 * Gateway-only probe (no PostgreSQL): the gateway in its own process fed by the instant Druid
 * stand-in, read by the counting client. Prints the gateway's rows per CPU second for each
 * protocol and its CPU per 1-row query. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles it.
 *   npx tsx bench/probe.ts [ROWS=1000000] [ROUNDS=3] [QUERIES=5000] [PROTOCOLS=simple,extended-text,extended-binary] [LATENCY_PROTOCOLS=simple,extended-text]
 * The 1-row queries of each entry of LATENCY_PROTOCOLS (which may repeat a protocol) follow WARMUP
 * (env, default 200) unmeasured ones; the first entry measured pays for JIT compilation unless
 * WARMUP is in the thousands (docs/performance.md).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { CountingClient, queryMessages, type Protocol } from './support/counting-client.js';
import { startInstantDruid } from './support/instant-druid.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const QUERIES = Number(process.argv[4] ?? 5000);
const PROTOCOLS = (process.argv[5] ?? 'simple,extended-text,extended-binary').split(',').filter((p) => p !== '') as Protocol[];
const LAT = (process.argv[6] ?? 'simple,extended-text').split(',').filter((p) => p !== '') as Protocol[];

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const druid = await startInstantDruid(ROWS);
const child = fork(new URL('./support/results-gateway.ts', import.meta.url).pathname, [], {
  execArgv: ['--import', 'tsx', ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '')],
  env: { ...process.env, DRUID_URL: druid.url },
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const [{ port }] = (await once(child, 'message')) as [{ port: number }];
const pid = child.pid ?? 0;
const client = await CountingClient.open(port, 'bench', 'druid', { TimeZone: 'UTC' });
if (ROWS > 0) await client.query('SELECT * FROM bench', 'simple');
for (const protocol of PROTOCOLS) {
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = cpuSeconds(pid);
    const rows = await client.query('SELECT * FROM bench', protocol);
    if (rows !== ROWS) throw new Error(`rows ${rows}`);
    rates.push(Math.round(rows / (cpuSeconds(pid) - c0)));
  }
  process.stdout.write(`${protocol}: rows per CPU s ${rates.join(', ')}\n`);
}
for (const protocol of LAT) {
  const bytes = queryMessages('SELECT * FROM bench LIMIT 1', protocol);
  for (let i = 0; i < Number(process.env.WARMUP ?? 200); i++) await client.roundTrip(bytes);
  const c0 = cpuSeconds(pid);
  for (let i = 0; i < QUERIES; i++) await client.roundTrip(bytes);
  process.stdout.write(`${protocol}: CPU ms per 1-row query ${(((cpuSeconds(pid) - c0) * 1000) / QUERIES).toFixed(3)}\n`);
}
await client.close();
child.send('stop');
await once(child, 'exit');
await druid.close();
