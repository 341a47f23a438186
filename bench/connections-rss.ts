/**
 * Memory of one instance (--workers 1) holding many sessions: IDLE sessions (default 1,000) logged
 * in and idle, then STREAMS of them (default 100) each running `SELECT * FROM t` on a Druid stand-in
 * that writes as fast as the gateway reads. Streams are measured twice: with every client paused
 * (nothing read: backpressure holds the result in the socket buffers) and with every client reading.
 * The gateway's RSS comes from /proc.
 *
 *   npm run build && npx tsx bench/connections-rss.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { serialize } from 'pg-protocol';

const IDLE = Number(process.env.IDLE ?? 1000);
const STREAMS = Number(process.env.STREAMS ?? 100);
const PORT = Number(process.env.PORT ?? 55443);
/** Logins at a time (below --max-startup-connections, 64 by default). */
const LOGIN_BATCH = 50;
const SETTLE_MS = 3000;
const STREAM_MS = 5000;

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

interface Session {
  socket: Socket;
  received: number;
  errors: number;
  /** Resolves at each ReadyForQuery. */
  ready: () => Promise<void>;
}

/** A raw protocol session: logs in (trust) and counts bytes and ErrorResponses. */
async function openSession(): Promise<Session> {
  const socket = connect(PORT, '127.0.0.1');
  await once(socket, 'connect');
  let waiters: Array<() => void> = [];
  const session: Session = {
    socket,
    received: 0,
    errors: 0,
    ready: () => new Promise<void>((resolve) => waiters.push(resolve)),
  };
  let tail = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    session.received += chunk.length;
    const buf = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
    let offset = 0;
    while (offset + 5 <= buf.length) {
      const length = buf.readInt32BE(offset + 1);
      if (offset + 1 + length > buf.length) break;
      if (buf[offset] === 0x45) session.errors++;
      if (buf[offset] === 0x5a) {
        const w = waiters;
        waiters = [];
        for (const f of w) f();
      }
      offset += 1 + length;
    }
    tail = Buffer.from(buf.subarray(offset));
  });
  const loggedIn = session.ready();
  socket.write(serialize.startup({ user: 'bench', database: 'druid' }));
  await loggedIn;
  return session;
}

const druid = spawn(process.execPath, ['--import', 'tsx', 'bench/support/bulk-druid.ts'], { env: { ...process.env, ROWS: String(50_000_000) }, stdio: ['ignore', 'pipe', 'inherit'] });
const url = (await lineFrom(druid, 'stdout', 'URL ')).slice(4).trim();
const args = ['dist/cli/main.js', 'serve', '--druid-url', url, '--listen', `127.0.0.1:${PORT}`, '--workers', '1', '--max-connections', String(IDLE + 10), '--log-level', 'warn'];
const gateway = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'pipe'] });
await lineFrom(gateway, 'stderr', 'listening on');
const pid = gateway.pid as number;
const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

// One session runs a query first, so the parser and the first-query paths are loaded in the baseline.
const warm = await openSession();
const warmDone = warm.ready();
warm.socket.write(serialize.query('SELECT 1'));
await warmDone;
await settle();
const baseline = rssMiB(pid);

async function openIdle(): Promise<Session[]> {
  const opened: Session[] = [];
  while (opened.length < IDLE) {
    const batch = Math.min(LOGIN_BATCH, IDLE - opened.length);
    opened.push(...(await Promise.all(Array.from({ length: batch }, () => openSession()))));
  }
  await settle();
  return opened;
}

// The first round grows the heap to its working size (RSS after it is mostly V8 keeping freed
// pages); the second round's growth over the closed state is what the sessions hold.
const first = await openIdle();
const idleFirst = rssMiB(pid);
for (const s of first) s.socket.destroy();
await settle();
const closed = rssMiB(pid);
const sessions = await openIdle();
const idle = rssMiB(pid);

const streaming = sessions.slice(0, STREAMS);
for (const s of streaming) {
  s.socket.pause();
  s.socket.write(serialize.query('SELECT * FROM t'));
}
await settle();
const paused = rssMiB(pid);
for (const s of streaming) s.socket.resume();
let readingMax = 0;
const started = Date.now();
const before = streaming.reduce((sum, s) => sum + s.received, 0);
while (Date.now() - started < STREAM_MS) {
  await new Promise((r) => setTimeout(r, 250));
  readingMax = Math.max(readingMax, rssMiB(pid));
}
const mib = (streaming.reduce((sum, s) => sum + s.received, 0) - before) / 1048576;
const errors = sessions.reduce((sum, s) => sum + s.errors, 0);
for (const s of sessions) s.socket.destroy();
warm.socket.destroy();
gateway.kill('SIGTERM');
druid.kill('SIGTERM');

const kib = (mibValue: number, count: number) => ((mibValue * 1024) / count).toFixed(0);
process.stdout.write(
  [
    `gateway RSS: baseline ${baseline.toFixed(0)} MiB (one session, after SELECT 1)`,
    `${IDLE} idle sessions, first round: ${idleFirst.toFixed(0)} MiB; all closed: ${closed.toFixed(0)} MiB`,
    `${IDLE} idle sessions, second round: ${idle.toFixed(0)} MiB, ${kib(idle - closed, IDLE)} KiB per idle session`,
    `${STREAMS} streams, clients paused: ${paused.toFixed(0)} MiB, ${kib(paused - idle, STREAMS)} KiB per stream`,
    `${STREAMS} streams, clients reading: max ${readingMax.toFixed(0)} MiB, ${kib(readingMax - idle, STREAMS)} KiB per stream; ${mib.toFixed(0)} MiB sent in ${(STREAM_MS / 1000).toFixed(0)} s`,
    `ErrorResponses: ${errors}`,
  ].join('\n') + '\n',
);
process.exit(errors === 0 ? 0 : 1);
