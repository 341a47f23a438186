/**
 * Memory under a large, slowly read result: 5M rows (set ROWS) stream from a Druid stand-in through
 * the gateway to a client that reads in bursts and pauses. The gateway's RSS is sampled every
 * 250 ms from /proc; with backpressure end to end it stays flat however far the client lags.
 *
 *   npm run build && npx tsx bench/stream-rss.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { once } from 'node:events';
import { serialize } from 'pg-protocol';

const ROWS = Number(process.env.ROWS ?? 5_000_000);
const PORT = Number(process.env.PORT ?? 55433);

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Resolves with the first line of the child's output containing `marker` (60 s at most). */
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

const druid = spawn(process.execPath, ['--import', 'tsx', 'bench/support/bulk-druid.ts'], { env: { ...process.env, ROWS: String(ROWS) }, stdio: ['ignore', 'pipe', 'inherit'] });
const url = (await lineFrom(druid, 'stdout', 'URL ')).slice(4).trim();
const gateway = spawn(process.execPath, ['dist/cli/main.js', 'serve', '--druid-url', url, '--listen', `127.0.0.1:${PORT}`, '--workers', '1', '--log-level', 'warn'], {
  stdio: ['ignore', 'inherit', 'pipe'],
});
await lineFrom(gateway, 'stderr', 'listening on');
const pid = gateway.pid as number;

const socket = connect(PORT, '127.0.0.1');
await once(socket, 'connect');
socket.write(serialize.startup({ user: 'bench', database: 'druid' }));
const samples: Array<{ t: number; rss: number; received: number }> = [];
let received = 0;
let dataRows = 0;
let done = false;
const started = Date.now();
const timer = setInterval(() => samples.push({ t: Date.now() - started, rss: rssMiB(pid), received }), 250);
const baseline = rssMiB(pid);

// Read in bursts: 400 ms reading, then a 600 ms pause (the socket is paused: TCP fills, backpressure).
let tail = Buffer.alloc(0);
let readyCount = 0;
socket.on('data', (chunk: Buffer) => {
  received += chunk.length;
  let buf = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
  let offset = 0;
  while (offset + 5 <= buf.length) {
    const length = buf.readInt32BE(offset + 1);
    if (offset + 1 + length > buf.length) break;
    const type = buf[offset];
    if (type === 0x44) dataRows++;
    if (type === 0x5a) {
      readyCount++;
      if (readyCount === 1) socket.write(serialize.query('SELECT * FROM t'));
      else done = true;
    }
    if (type === 0x45) process.stderr.write(`error: ${buf.subarray(offset + 5, offset + 1 + length).toString()}\n`);
    offset += 1 + length;
  }
  tail = Buffer.from(buf.subarray(offset));
  buf = Buffer.alloc(0);
});
while (!done) {
  await new Promise((r) => setTimeout(r, 400));
  socket.pause();
  await new Promise((r) => setTimeout(r, 600));
  socket.resume();
}
clearInterval(timer);
const seconds = (Date.now() - started) / 1000;
socket.end();
gateway.kill('SIGTERM');
druid.kill('SIGTERM');

const rss = samples.map((s) => s.rss);
const afterWarmup = samples.filter((s) => s.received > 20 * 1024 * 1024).map((s) => s.rss);
process.stdout.write(
  [
    `rows received: ${dataRows} of ${ROWS} in ${seconds.toFixed(1)} s (${Math.round(dataRows / seconds).toLocaleString()} rows/s, ${(received / 1048576).toFixed(0)} MiB, client paused 60% of the time)`,
    `gateway RSS: baseline ${baseline.toFixed(0)} MiB, min ${Math.min(...rss).toFixed(0)}, max ${Math.max(...rss).toFixed(0)} MiB`,
    `gateway RSS after the first 20 MiB: min ${Math.min(...afterWarmup).toFixed(0)}, max ${Math.max(...afterWarmup).toFixed(0)} MiB (spread ${(Math.max(...afterWarmup) - Math.min(...afterWarmup)).toFixed(0)} MiB)`,
    `samples (s: MiB): ${samples.filter((_, i) => i % 8 === 0).map((s) => `${(s.t / 1000).toFixed(0)}:${s.rss.toFixed(0)}`).join(' ')}`,
  ].join('\n') + '\n',
);
process.exit(dataRows === ROWS ? 0 : 1);
