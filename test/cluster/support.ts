import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
export const HAPROXY_CONFIG = resolve(ROOT, 'examples/deploy/haproxy.cfg');
/** HAProxy marks an instance up after `rise 2` checks `inter 1s` apart (examples/deploy/haproxy.cfg). */
export const HAPROXY_RISE_MS = 2500;
export const PEER_SECRET = 'cluster-test-peer-secret';
/** An instance's start (tsx, the catalog engine's first start, the first backend probe) on an idle machine takes seconds. */
const START_TIMEOUT_MS = 120_000;

/**
 * Ports below Linux's ephemeral range (ip_local_port_range, 32768-60999 by default): a port the
 * kernel handed out for port 0 can be taken as the local port of any outgoing connection (another
 * test's HTTP client) before the gateway binds it, as happened in CI (EADDRINUSE).
 */
const PORT_MIN = 20_000;
const PORT_SPAN = 12_000;
const PORT_TRIES = 50;

/** A port that was free on 127.0.0.1 a moment ago, outside the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < PORT_TRIES; i++) {
    const port = PORT_MIN + Math.floor(Math.random() * PORT_SPAN);
    const server = createServer();
    const bound = await new Promise<boolean>((done) => {
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => done(true));
    });
    if (bound) {
      await new Promise<void>((done) => server.close(() => done()));
      return port;
    }
  }
  throw new Error(`no free port in ${PORT_MIN}-${PORT_MIN + PORT_SPAN} after ${PORT_TRIES} tries`);
}

export interface Instance {
  id: number;
  port: number;
  httpPort: number;
}

/** Ports for three instances, with their --peers lists. */
export async function planInstances(count: number): Promise<Instance[]> {
  const instances: Instance[] = [];
  for (let id = 1; id <= count; id++) instances.push({ id, port: await freePort(), httpPort: await freePort() });
  return instances;
}

export function peersOf(instances: readonly Instance[], self: Instance): string {
  return instances.filter((i) => i !== self).map((i) => `${i.id}=http://127.0.0.1:${i.httpPort}`).join(',');
}

/** Runs examples/deploy/haproxy.cfg as it is, with its variables pointing at the instances. */
export async function startHaproxy(instances: readonly Instance[]): Promise<{ port: number; log(): string; stop(): Promise<void> }> {
  const port = await freePort();
  const env: Record<string, string> = { ...process.env, PG_BIND: `127.0.0.1:${port}` } as Record<string, string>;
  instances.forEach((instance, i) => {
    env[`GW${i + 1}`] = `127.0.0.1:${instance.port}`;
    env[`GW${i + 1}_HTTP`] = String(instance.httpPort);
  });
  const child = spawn('haproxy', ['-f', HAPROXY_CONFIG, '-db'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${stderr}`);
    return tcpOpen(port);
  }, 10_000);
  return { port, log: () => stderr, stop: async () => void (await stopChild(child, 'SIGTERM')) };
}

/**
 * A polaris-pg child process (`polaris-pg serve`), so it can be sent SIGTERM or SIGKILL. It runs
 * one process (--workers 1: a SIGKILL ends the whole instance) unless `args` give --workers.
 */
export class GatewayProcess {
  private child: ChildProcess | null = null;
  log = '';

  constructor(
    readonly instance: Instance,
    private readonly args: string[],
  ) {}

  /** Starts the process and waits until /health/ready answers 200 (a loaded machine may take minutes: startTimeoutMs). */
  async start(startTimeoutMs = START_TIMEOUT_MS): Promise<void> {
    const { port, httpPort, id } = this.instance;
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--listen', `127.0.0.1:${port}`, '--http-listen', `127.0.0.1:${httpPort}`, '--instance-id', String(id), '--workers', '1', ...this.args],
      { cwd: ROOT, env: { ...process.env, POLARIS_PG_PEER_SECRET: PEER_SECRET }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    const child = this.child;
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`gateway ${id} exited: ${this.log}`);
      return (await fetch(`http://127.0.0.1:${httpPort}/health/ready`).then((r) => r.status, () => 0)) === 200;
    }, startTimeoutMs);
  }

  /** The process ID of the gateway (the primary with --workers above 1). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Sends the signal and resolves with the exit code once the process is gone. */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null> {
    const child = this.child;
    this.child = null;
    return child === null ? null : stopChild(child, signal);
  }
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => {
    child.once('exit', (code) => done(code));
    child.kill(signal);
  });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      done(true);
    });
    socket.on('error', () => done(false));
  });
}

/** An instance's process figures from its /metrics (prom-client's default process metrics). */
export interface ProcessFigures {
  residentBytes: number;
  openFds: number;
  maxFds: number;
  connections: number;
}

export async function processFigures(httpPort: number): Promise<ProcessFigures> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const value = (name: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? NaN : Number(line.split(' ')[1]);
  };
  return {
    residentBytes: value('polaris_pg_process_resident_memory_bytes'),
    openFds: value('polaris_pg_process_open_fds'),
    maxFds: value('polaris_pg_process_max_fds'),
    connections: value('polaris_pg_connections'),
  };
}
