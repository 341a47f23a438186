/**
 * The process under fuzz: the real command line (`polaris-pg serve`, run with tsx) in a child
 * process, so a crash is its exit and its memory is its own RSS, in front of a scripted fake Druid
 * in this process that answers every statement at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { startFakeDruid, type FakeDruid } from '../fake-druid.js';
import { T_COLUMNS, tRow, withSchema } from '../fake-schema.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const LISTENING = /polaris-pg listening on 127\.0\.0\.1:(\d+)/;
/** Rows of each fake result: enough for a row-limited Execute to suspend. */
const RESULT_ROWS = 5;
/** USER_HZ of /proc/PID/stat times (100 on Linux). */
const CLOCK_TICKS = 100;

export interface FuzzTarget {
  port: number;
  metricsPort: number;
  child: ChildProcess;
  fake: FakeDruid;
  /** Output of the child (its stderr), kept for the failure report. */
  log(): string;
  /** The child's resident set size in bytes (/proc/PID/status VmRSS). */
  rss(): number;
  /** CPU seconds the child has used (user + system, /proc/PID/stat). */
  cpuSeconds(): number;
  /** Value of a gauge on the child's /metrics. */
  gauge(name: string): Promise<number>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export async function startFuzzTarget(extraArgs: string[] = []): Promise<FuzzTarget> {
  const fake = await startFakeDruid();
  withSchema(fake, (_req, reply) => reply.result(T_COLUMNS, Array.from({ length: RESULT_ROWS }, (_, i) => tRow(i))));
  const metricsPort = await freePort();
  // One process (--workers defaults to the core count): rss() and cpuSeconds() read this child's own /proc entries.
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--workers', '1', '--druid-url', fake.url, '--listen', '127.0.0.1:0', '--http-listen', `127.0.0.1:${metricsPort}`, '--log-level', 'error', ...extraArgs];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const port = await new Promise<number>((done, fail) => {
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = LISTENING.exec(stderr);
      if (m) done(Number(m[1]));
    });
    child.once('exit', (code, signal) => fail(new Error(`gateway exited (${code ?? signal}) before listening:\n${stderr}`)));
  });
  return {
    port,
    metricsPort,
    child,
    fake,
    log: () => stderr,
    rss: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 'NaN') * 1024;
    },
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    },
    gauge: async (name) => {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 'NaN');
    },
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGKILL');
        await exited;
      }
      await fake.close();
    },
  };
}
