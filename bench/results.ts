/**
 * The result path against PostgreSQL on the same rows (issue 13; docs/performance.md):
 *   - rows/s of a ROWS-row x 6-column result (timestamptz, 2 text, 2 bigint, float8) read by a
 *     counting raw pgwire client (no row decoding) from PostgreSQL (the twin's server, a table in
 *     a schema this benchmark creates and drops) and from polaris-pg fed by an instant Druid
 *     stand-in serving the same rows from memory, in the simple protocol and the extended
 *     protocol with text and binary results; the stand-in's HTTP body read raw is the floor;
 *   - per-query latency p50/p99 of a 1-row query: PostgreSQL, polaris-pg, and the stand-in's
 *     own HTTP round trip (the backend time the gateway adds to).
 * Rounds alternate between the sources; medians are printed.
 *
 *   npm run bench -- results [ROWS=1000000] [ROUNDS=3] [LATENCY_QUERIES=2000]
 *   PG_URL (default: /work/notes/pg-url or the twin's default URL), BENCH_NODE_ARGS (e.g. --cpu-prof)
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { request } from 'undici';
import { benchTableSql } from './support/bench-rows.js';
import { CountingClient, queryMessages, type Protocol } from './support/counting-client.js';
import { startInstantDruid } from './support/instant-druid.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const LATENCY_QUERIES = Number(process.argv[4] ?? 2000);
const PG_URL_FILE = '/work/notes/pg-url';
const PG_URL = process.env.PG_URL ?? (existsSync(PG_URL_FILE) ? readFileSync(PG_URL_FILE, 'utf8').trim() : 'postgresql://postgres@127.0.0.1:55432/fixtures');
const SCHEMA = 'polaris_pg_bench';
const PROTOCOLS: readonly Protocol[] = ['simple', 'extended-text', 'extended-binary'];
const SESSION = { TimeZone: 'UTC' };
/** 1-row queries sent in each protocol before any latency is measured (fewer left the first protocol measured paying for JIT compilation). */
const LATENCY_WARMUP = 2000;
const CLOCK_TICKS = 100;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Rows per second of wall-clock time, and per CPU second of the server process `pid` (0: not measured). */
async function timed(run: () => Promise<number>, pid = 0): Promise<[number, number]> {
  const cpu0 = pid === 0 ? 0 : cpuSeconds(pid);
  const started = process.hrtime.bigint();
  const rows = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (rows !== ROWS) throw new Error(`expected ${ROWS} rows, got ${rows}`);
  return [rows / seconds, pid === 0 ? 0 : rows / (cpuSeconds(pid) - cpu0)];
}

/** The stand-in's body read raw through undici: bytes only, rows counted as line feeds. */
async function rawBody(url: string): Promise<number> {
  const res = await request(`${url}/druid/v2/sql`, { method: 'POST', body: '{"query":"SELECT * FROM bench"}' });
  let lines = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  // Three header lines and the blank trailer line.
  return lines - 4;
}

async function startGatewayProcess(druidUrl: string): Promise<{ port: number; pid: number; stop: () => Promise<void> }> {
  const nodeArgs = ['--import', 'tsx', ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '')];
  const child = fork(new URL('./support/results-gateway.ts', import.meta.url).pathname, [], {
    execArgv: nodeArgs,
    env: { ...process.env, DRUID_URL: druidUrl },
    stdio: ['ignore', 'ignore', process.env.BENCH_GATEWAY_LOG === undefined ? 'ignore' : 'inherit', 'ipc'],
  });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return {
    port: message.port,
    pid: child.pid ?? 0,
    stop: async () => {
      child.send('stop');
      await once(child, 'exit');
    },
  };
}

/** Sends the 1-row query LATENCY_WARMUP times (JIT compilation and the caches settle before anything is measured). */
async function warmUp(client: CountingClient, sql: string, protocol: Protocol): Promise<void> {
  const bytes = queryMessages(sql, protocol);
  for (let i = 0; i < LATENCY_WARMUP; i++) await client.roundTrip(bytes);
}

/** LATENCY_QUERIES 1-row queries: their latencies (sorted, ms) and the server process's CPU ms per query over them. */
async function latencies(client: CountingClient, sql: string, protocol: Protocol, pid: number): Promise<{ sorted: number[]; cpuMs: number }> {
  const bytes = queryMessages(sql, protocol);
  const out: number[] = [];
  const cpu0 = cpuSeconds(pid);
  for (let i = 0; i < LATENCY_QUERIES; i++) {
    const t0 = process.hrtime.bigint();
    const rows = await client.roundTrip(bytes);
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (rows !== 1) throw new Error(`latency probe returned ${rows} rows`);
  }
  const cpuMs = ((cpuSeconds(pid) - cpu0) * 1000) / LATENCY_QUERIES;
  return { sorted: out.sort((a, b) => a - b), cpuMs };
}

async function httpLatencies(url: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < LATENCY_WARMUP + LATENCY_QUERIES; i++) {
    const t0 = process.hrtime.bigint();
    const res = await request(`${url}/druid/v2/sql`, { method: 'POST', body: '{"query":"SELECT * FROM bench LIMIT 1"}' });
    await res.body.arrayBuffer();
    if (i >= LATENCY_WARMUP) out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

/** CPU time (user + system) a process has used, in seconds, from /proc/PID/stat (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(11);

process.stdout.write(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}\n`);
process.stdout.write(`rows: ${ROWS.toLocaleString('en-US')} x 6 columns, rounds: ${ROUNDS}, latency queries: ${LATENCY_QUERIES}\n`);

const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
for (const sql of benchTableSql(SCHEMA, ROWS)) await admin.query(sql);
const pgDatabase = new URL(PG_URL).pathname.slice(1);
const pgPort = Number(new URL(PG_URL).port);
const pgUser = decodeURIComponent(new URL(PG_URL).username);

const druid = await startInstantDruid(ROWS);
const gateway = await startGatewayProcess(druid.url);
try {
  const pgClient = await CountingClient.open(pgPort, pgUser, pgDatabase, SESSION);
  const gwClient = await CountingClient.open(gateway.port, 'bench', 'druid', SESSION);
  const pgSql = `SELECT * FROM ${SCHEMA}.bench`;
  const gwSql = 'SELECT * FROM bench';
  // Warm-up: one full read each (JIT, schema cache, page cache).
  await pgClient.query(pgSql, 'simple');
  await gwClient.query(gwSql, 'simple');

  const rates = new Map<string, number[]>();
  const perCpu = new Map<string, number[]>();
  const add = (name: string, [rate, cpuRate]: [number, number]): void => {
    rates.set(name, [...(rates.get(name) ?? []), rate]);
    if (cpuRate > 0) perCpu.set(name, [...(perCpu.get(name) ?? []), cpuRate]);
  };
  for (let round = 0; round < ROUNDS; round++) {
    add('raw HTTP body (floor)', await timed(() => rawBody(druid.url)));
    for (const protocol of PROTOCOLS) {
      add(`PostgreSQL ${protocol}`, await timed(() => pgClient.query(pgSql, protocol), pgClient.backendPid));
      add(`polaris-pg ${protocol}`, await timed(() => gwClient.query(gwSql, protocol), gateway.pid));
    }
  }
  process.stdout.write(`\nrows/s of wall-clock time (median of ${ROUNDS} rounds)\n`);
  for (const [name, xs] of rates) process.stdout.write(`  ${name.padEnd(30)} ${fmt(median(xs))}   rounds: ${xs.map((x) => Math.round(x)).join(', ')}\n`);
  process.stdout.write(`rows per CPU second of the server process (PostgreSQL's backend, the gateway; steadier on a busy machine)\n`);
  for (const [name, xs] of perCpu) process.stdout.write(`  ${name.padEnd(30)} ${fmt(median(xs))}   rounds: ${xs.map((x) => Math.round(x)).join(', ')}\n`);
  const floor = median(rates.get('raw HTTP body (floor)') ?? []);
  for (const protocol of PROTOCOLS) {
    const gw = median(rates.get(`polaris-pg ${protocol}`) ?? []);
    const ref = median(rates.get(`PostgreSQL ${protocol}`) ?? []);
    const cpu = median(perCpu.get(`polaris-pg ${protocol}`) ?? []) / median(perCpu.get(`PostgreSQL ${protocol}`) ?? []);
    process.stdout.write(`  ratio ${protocol.padEnd(16)} polaris-pg / PostgreSQL ${(gw / ref).toFixed(2)} (per CPU second ${cpu.toFixed(2)})   polaris-pg / floor ${(gw / floor).toFixed(3)}\n`);
  }

  process.stdout.write(`\n1-row query latency, ms (${LATENCY_QUERIES} queries, after ${LATENCY_WARMUP} warm-up ones in each protocol)\n`);
  const http = await httpLatencies(druid.url);
  const row = (name: string, xs: readonly number[]): void =>
    void process.stdout.write(`  ${name.padEnd(34)} p50 ${percentile(xs, 50).toFixed(3)}   p99 ${percentile(xs, 99).toFixed(3)}\n`);
  row('stand-in Druid HTTP round trip', http);
  const LATENCY_PROTOCOLS = ['simple', 'extended-text'] as const;
  // Every protocol is warmed up before any is measured: the first one measured otherwise pays for
  // the gateway's JIT compilation (V8 compiles on threads of the same process, so it counts as the
  // gateway's CPU) and the collection of the full reads' garbage.
  for (const protocol of LATENCY_PROTOCOLS) {
    await warmUp(pgClient, `${pgSql} LIMIT 1`, protocol);
    await warmUp(gwClient, `${gwSql} LIMIT 1`, protocol);
  }
  for (const protocol of LATENCY_PROTOCOLS) {
    const pgLat = await latencies(pgClient, `${pgSql} LIMIT 1`, protocol, pgClient.backendPid);
    const gwLat = await latencies(gwClient, `${gwSql} LIMIT 1`, protocol, gateway.pid);
    row(`PostgreSQL ${protocol}`, pgLat.sorted);
    row(`polaris-pg ${protocol}`, gwLat.sorted);
    process.stdout.write(`  CPU ms per query (server process): PostgreSQL ${pgLat.cpuMs.toFixed(3)}, polaris-pg ${gwLat.cpuMs.toFixed(3)}\n`);
    process.stdout.write(
      `  overhead ${protocol}: polaris-pg p50 - backend p50 = ${(percentile(gwLat.sorted, 50) - percentile(http, 50)).toFixed(3)} ms, p99 - backend p99 = ${(percentile(gwLat.sorted, 99) - percentile(http, 99)).toFixed(3)} ms\n`,
    );
  }
  await pgClient.close();
  await gwClient.close();
} finally {
  await gateway.stop();
  await druid.close();
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.end();
}
