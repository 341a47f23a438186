/**
 * Memory under a large COPY FROM STDIN on the Polaris path (docs/writes.md, "Polaris"): MIB
 * (default 200) MiB of text-format rows go through the gateway, which checks them, stages them as
 * NDJSON and streams the file to a Polaris stand-in (bench/support/sink-polaris.ts). The
 * gateway's RSS is sampled every 250 ms from /proc; rows are never held whole in memory, so its
 * growth stays bounded whatever the size.
 *
 *   MIB=200 npm run bench -- copy-rss
 *   GATEWAY_NODE_ARGS=--trace-gc MIB=60 npm run bench -- copy-rss   (Node/V8 flags of the gateway alone)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { serialize } from 'pg-protocol';

const MIB = Number(process.env.MIB ?? 200);
const PORT = Number(process.env.PORT ?? 55434);
const CHUNK_ROWS = 1000;
const WARMUP_MIB = 1;
/** The RSS growth the COPY may cause (docs/writes.md, "Memory"); past it the bench fails. */
const MAX_GROWTH_MIB = 64;
/** The whole run's limit: past it the bench fails with what it waited for, instead of waiting forever. */
const DEADLINE_S = Number(process.env.DEADLINE_S ?? 900);

/** The stand-in and the gateway: ended whenever this process ends (an error, a signal, the deadline). */
const children: ChildProcess[] = [];
let waitingFor = 'start';
function stopChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
function fail(message: string): never {
  process.stderr.write(`copy-rss: ${message}\n`);
  stopChildren();
  process.exit(1);
}
process.on('exit', stopChildren);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => fail(`${signal} while waiting for ${waitingFor}`));
process.on('uncaughtException', (err) => fail(err.message));
process.on('unhandledRejection', (err) => fail(err instanceof Error ? err.message : String(err)));
setTimeout(() => fail(`no result after ${DEADLINE_S} s (waiting for ${waitingFor})`), DEADLINE_S * 1000).unref();

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

function lineFrom(child: ChildProcess, stream: 'stdout' | 'stderr', marker: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`no "${marker}" from child within 60 s`)), 60_000);
    child[stream]?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.includes(marker));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}

const polaris = spawn(process.execPath, ['--import', 'tsx', 'bench/support/sink-polaris.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
children.push(polaris);
const url = (await lineFrom(polaris, 'stdout', 'URL ')).slice(4).trim();
const gatewayNodeArgs = (process.env.GATEWAY_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
const gateway = spawn(process.execPath, [...gatewayNodeArgs, '--import', 'tsx', 'src/cli/main.ts', 'serve', '--workers', '1', '--polaris-url', url, '--project', 'p', '--writes', 'on', '--listen', `127.0.0.1:${PORT}`, '--log-level', 'warn'], {
  env: { ...process.env, POLARIS_PG_POLARIS_API_KEY: 'bench-key' },
  stdio: ['ignore', 'inherit', 'pipe'],
});
children.push(gateway);
/** The end of the gateway's stderr, quoted when it exits early. */
let gatewayStderr = '';
gateway.stderr?.on('data', (chunk: Buffer) => (gatewayStderr = (gatewayStderr + chunk.toString()).slice(-2000)));
gateway.on('exit', (code, signal) => fail(`the gateway exited (${signal ?? code ?? ''}) while waiting for ${waitingFor}: ${gatewayStderr.trim()}`));
await lineFrom(gateway, 'stderr', 'listening on');
const pid = gateway.pid as number;

const socket = connect(PORT, '127.0.0.1');
await once(socket, 'connect');
const messages: Array<{ type: number; body: Buffer }> = [];
let waiter: (() => void) | null = null;
let tail = Buffer.alloc(0);
socket.on('close', () => fail(`the connection closed while waiting for ${waitingFor}`));
socket.on('data', (chunk: Buffer) => {
  let buf = Buffer.concat([tail, chunk]);
  while (buf.length >= 5 && buf.length >= 1 + buf.readInt32BE(1)) {
    const length = buf.readInt32BE(1);
    messages.push({ type: buf[0] as number, body: buf.subarray(5, 1 + length) });
    buf = buf.subarray(1 + length);
  }
  tail = Buffer.from(buf);
  waiter?.();
});
async function until(type: number): Promise<Buffer> {
  waitingFor = `message ${String.fromCharCode(type)}`;
  for (;;) {
    const i = messages.findIndex((m) => m.type === type || m.type === 0x45);
    if (i >= 0) {
      const [m] = messages.splice(0, i + 1).slice(-1);
      if (m?.type === 0x45) throw new Error(`error: ${m.body.toString()}`);
      return m?.body ?? Buffer.alloc(0);
    }
    await new Promise<void>((r) => (waiter = r));
  }
}

/** One COPY of `mib` MiB of rows; returns its command tag, the bytes and rows sent. */
let rows = 0;
async function copy(mib: number): Promise<{ tag: string; sent: number; count: number }> {
  socket.write(serialize.query('COPY t FROM STDIN'));
  await until(0x47);
  let sent = 0;
  const first = rows;
  while (sent < mib * 1024 * 1024) {
    const lines: string[] = [];
    for (let i = 0; i < CHUNK_ROWS; i++, rows++) lines.push(`${new Date(base + rows * 1000).toISOString()}\tcountry-${rows % 50}-${'x'.repeat(rows % 40)}\t${rows * 7}\n`);
    const data = Buffer.from(lines.join(''));
    sent += data.length;
    if (!socket.write(serialize.copyData(data))) await once(socket, 'drain');
  }
  socket.write(serialize.copyDone());
  const tag = (await until(0x43)).toString('utf8').replace(/\0$/, '');
  await until(0x5a);
  return { tag, sent, count: rows - first };
}

const base = Date.UTC(2026, 0, 1);
socket.write(serialize.startup({ user: 'bench', database: 'druid' }));
await until(0x5a);
// A first small COPY loads the schema and warms the code paths: the baseline is taken after it.
await copy(WARMUP_MIB);
const baseline = rssMiB(pid);
const samples: Array<{ t: number; rss: number }> = [];
const started = Date.now();
const timer = setInterval(() => samples.push({ t: Date.now() - started, rss: rssMiB(pid) }), 250);

const { tag, sent, count } = await copy(MIB);
const seconds = (Date.now() - started) / 1000;
clearInterval(timer);
socket.removeAllListeners('close');
gateway.removeAllListeners('exit');
socket.end();
stopChildren();

const peak = Math.max(...samples.map((s) => s.rss));
process.stdout.write(
  [
    `COPY of ${(sent / 1048576).toFixed(0)} MiB (${count.toLocaleString()} rows) in ${seconds.toFixed(1)} s: ${tag}`,
    `gateway RSS: baseline ${baseline.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, growth ${(peak - baseline).toFixed(0)} MiB`,
    `samples (s: MiB): ${samples.filter((_, i) => i % 8 === 0).map((s) => `${(s.t / 1000).toFixed(0)}:${s.rss.toFixed(0)}`).join(' ')}`,
  ].join('\n') + '\n',
);
if (peak - baseline >= MAX_GROWTH_MIB) process.stderr.write(`copy-rss: RSS grew by ${MAX_GROWTH_MIB} MiB or more\n`);
process.exit(tag === `COPY ${count}` && peak - baseline < MAX_GROWTH_MIB ? 0 : 1);
