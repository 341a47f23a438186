/**
 * Runs fuzz cases against a FuzzTarget with a healthy client querying beside them, and reports
 * what a run must show: the gateway never exits, every case ends (the server answers or closes, or
 * goes quiet, within a bound), the healthy client's queries are answered within a bound, no
 * connection is left behind, and RSS after the run against RSS after a warm-up.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import { makeCase, type FuzzCase } from './cases.js';
import type { FuzzTarget } from './target.js';

/** A case is over once the server has closed or sent nothing for this long. */
const QUIET_MS = 15;
/** A case still receiving bytes after this long is a failure (the server never goes quiet). */
const CASE_LIMIT_MS = 10_000;
/** Login of a session case: the gateway must answer or close within --authentication-timeout-ms (60 s). */
const LOGIN_LIMIT_MS = 65_000;
const HEALTHY_INTERVAL_MS = 50;
/**
 * Session cases written back to back on one logged-in connection before it is reset: a case that
 * leaves a frame unfinished makes the following ones part of that frame, which is fuzzing too.
 */
const CASES_PER_CONNECTION = 16;
const PROGRESS_EVERY = 1000;
const READY_FOR_QUERY = 0x5a;
const ERROR_RESPONSE = 0x45;

export interface FuzzOptions {
  seed: number;
  cases: number;
  /** Cases in flight at once. */
  concurrency: number;
  /** Cases run before the first RSS sample. */
  warmup: number;
  /** Directory that failing cases are written to (one JSON file each). */
  outDir?: string;
  progress?: (done: number) => void;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  wallMs: number;
  rssBefore: number;
  rssAfter: number;
  healthyQueries: number;
  healthyMaxMs: number;
  healthyErrors: string[];
  failures: Array<{ index: number; reason: string }>;
  gatewayExited: string | null;
  connectionsLeft: number;
  startupConnectionsLeft: number;
}

interface CaseEnd {
  reason: 'closed' | 'quiet';
}

function open(port: number): Promise<Socket> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.off('error', fail);
      done(socket);
    });
    socket.once('error', fail);
  });
}

/** Reads until a ReadyForQuery (logged in) or the server closes / sends an error first. */
function login(socket: Socket): Promise<boolean> {
  return new Promise((done, fail) => {
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error(`login not answered within ${LOGIN_LIMIT_MS} ms`)), LOGIN_LIMIT_MS);
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      done(ok);
    };
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 5) {
        const len = buffered.readInt32BE(1);
        if (buffered.length < len + 1) return;
        const type = buffered[0];
        buffered = buffered.subarray(len + 1);
        if (type === READY_FOR_QUERY) return finish(true);
        if (type === ERROR_RESPONSE) return finish(false);
      }
    };
    const onClose = (): void => finish(false);
    socket.on('data', onData);
    socket.on('close', onClose);
  });
}

async function write(socket: Socket, chunk: Buffer): Promise<boolean> {
  if (socket.destroyed) return false;
  return new Promise((done) => socket.write(chunk, (err) => done(err == null)));
}

/** Waits until the server closes or is quiet for QUIET_MS; fails past CASE_LIMIT_MS. */
function settle(socket: Socket, since: () => number): Promise<CaseEnd> {
  return new Promise((done, fail) => {
    const started = Date.now();
    if (socket.destroyed || socket.readableEnded) return done({ reason: 'closed' });
    const timer = setInterval(() => {
      if (Date.now() - since() >= QUIET_MS) finish({ reason: 'quiet' });
      else if (Date.now() - started > CASE_LIMIT_MS) {
        cleanup();
        fail(new Error(`still receiving after ${CASE_LIMIT_MS} ms`));
      }
    }, QUIET_MS / 3);
    const cleanup = (): void => {
      clearInterval(timer);
      socket.off('close', onClose);
      socket.off('end', onClose);
    };
    const finish = (end: CaseEnd): void => {
      cleanup();
      done(end);
    };
    const onClose = (): void => finish({ reason: 'closed' });
    socket.once('close', onClose);
    socket.once('end', onClose);
  });
}

/** One client connection of the run: bytes written so far and when the server last sent any. */
class CaseConnection {
  lastData = Date.now();
  closed = false;
  readonly cases: FuzzCase[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
    });
  }

  /** Connects; for session cases also logs in (trust) up to ReadyForQuery. */
  static async open(port: number, phase: FuzzCase['phase']): Promise<CaseConnection> {
    const conn = new CaseConnection(await open(port));
    if (phase === 'session') {
      conn.socket.write(serialize.startup({ user: 'fuzz', database: 'druid' }));
      if (!(await login(conn.socket))) {
        conn.socket.resetAndDestroy();
        throw new Error('login refused');
      }
    }
    conn.socket.on('data', () => {
      conn.lastData = Date.now();
    });
    return conn;
  }

  async send(fuzzCase: FuzzCase): Promise<void> {
    this.cases.push(fuzzCase);
    for (const chunk of fuzzCase.chunks) {
      if (!(await write(this.socket, chunk))) return;
    }
    this.lastData = Math.max(this.lastData, Date.now());
  }

  /** Waits for the server to close or go quiet, then resets the connection (no TIME_WAIT left). */
  async finish(): Promise<CaseEnd> {
    try {
      return await settle(this.socket, () => this.lastData);
    } finally {
      this.socket.resetAndDestroy();
    }
  }
}

/** Runs one case on a connection of its own. */
export async function runCase(port: number, fuzzCase: FuzzCase): Promise<CaseEnd> {
  const conn = await CaseConnection.open(port, fuzzCase.phase);
  await conn.send(fuzzCase);
  return conn.finish();
}

/** A client that keeps querying through the run; every answer must come within the bound. */
class HealthyClient {
  queries = 0;
  maxMs = 0;
  errors: string[] = [];
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly client: pg.Client) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        const started = Date.now();
        try {
          const r = await this.client.query({ text: this.queries % 2 === 0 ? 'SELECT * FROM t' : 'SHOW TimeZone', rowMode: 'array' });
          if (r.rows.length === 0) this.errors.push(`query ${this.queries}: no rows`);
        } catch (err) {
          this.errors.push(`query ${this.queries}: ${(err as Error).message}`);
          if (this.errors.length > 5) return;
        }
        this.maxMs = Math.max(this.maxMs, Date.now() - started);
        this.queries++;
        await new Promise((r) => setTimeout(r, HEALTHY_INTERVAL_MS));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

function record(outDir: string | undefined, seed: number, cases: readonly FuzzCase[], reason: string): void {
  if (outDir === undefined || cases.length === 0) return;
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `seed-${seed}-case-${cases.map((c) => c.index).join('-')}.json`);
  const sent = cases.map((c) => ({ index: c.index, phase: c.phase, steps: c.steps, chunks: c.chunks.map((chunk) => chunk.toString('hex')) }));
  writeFileSync(file, `${JSON.stringify({ seed, reason, cases: sent }, null, 1)}\n`);
}

async function until(check: () => Promise<boolean>, limitMs: number): Promise<void> {
  const end = Date.now() + limitMs;
  while (Date.now() < end && !(await check())) await new Promise((r) => setTimeout(r, 50));
}

export async function runFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const healthyConn = new pg.Client({ host: '127.0.0.1', port: target.port, user: 'healthy', database: 'druid' });
  await healthyConn.connect();
  healthyConn.on('error', () => undefined);
  const healthy = new HealthyClient(healthyConn);
  const failures: FuzzReport['failures'] = [];
  let gatewayExited: string | null = null;
  target.child.once('exit', (code, signal) => (gatewayExited = `exit ${code ?? signal}`));
  let next = 0;
  let done = 0;
  let rssBefore = 0;
  const started = Date.now();
  healthy.start();
  const fail = (cases: readonly FuzzCase[], err: unknown): void => {
    const reason = (err as Error).message;
    failures.push({ index: cases[0]?.index ?? -1, reason });
    record(options.outDir, options.seed, cases, reason);
  };
  const counted = (n: number): void => {
    for (let i = 0; i < n; i++) {
      done++;
      if (done === options.warmup) rssBefore = target.rss();
      if (done % PROGRESS_EVERY === 0) options.progress?.(done);
    }
  };
  const finish = async (conn: CaseConnection): Promise<void> => {
    await conn.finish().catch((err: unknown) => fail(conn.cases, err));
    counted(conn.cases.length);
  };
  const worker = async (): Promise<void> => {
    let conn: CaseConnection | null = null;
    while (next < options.cases && gatewayExited === null) {
      const fuzzCase = makeCase(options.seed, next++);
      try {
        if (fuzzCase.phase === 'startup') {
          await runCase(target.port, fuzzCase);
          counted(1);
          continue;
        }
        conn ??= await CaseConnection.open(target.port, 'session');
        await conn.send(fuzzCase);
        if (conn.closed || conn.cases.length >= CASES_PER_CONNECTION) {
          await finish(conn);
          conn = null;
        }
      } catch (err) {
        fail([...(conn?.cases ?? []), fuzzCase].filter((c, i, all) => all.indexOf(c) === i), err);
        counted(1);
      }
    }
    if (conn !== null) await finish(conn);
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const wallMs = Date.now() - started;
  await healthy.stop();
  await healthyConn.end();
  if (gatewayExited !== null) {
    // The cases in flight when it died are the suspects.
    const suspects = Array.from({ length: Math.min(next, options.concurrency * CASES_PER_CONNECTION) }, (_, k) => makeCase(options.seed, next - 1 - k));
    record(options.outDir, options.seed, suspects.reverse(), gatewayExited);
    return { seed: options.seed, cases: done, wallMs, rssBefore, rssAfter: 0, healthyQueries: healthy.queries, healthyMaxMs: healthy.maxMs, healthyErrors: healthy.errors, failures, gatewayExited, connectionsLeft: NaN, startupConnectionsLeft: NaN };
  }
  // Every case connection was reset by the client: the gateway must let all of them go.
  await until(async () => (await target.gauge('polaris_pg_connections')) === 0 && (await target.gauge('polaris_pg_startup_connections')) === 0, 5_000);
  return {
    seed: options.seed,
    cases: done,
    wallMs,
    rssBefore,
    rssAfter: target.rss(),
    healthyQueries: healthy.queries,
    healthyMaxMs: healthy.maxMs,
    healthyErrors: healthy.errors,
    failures,
    gatewayExited,
    connectionsLeft: await target.gauge('polaris_pg_connections'),
    startupConnectionsLeft: await target.gauge('polaris_pg_startup_connections'),
  };
}
