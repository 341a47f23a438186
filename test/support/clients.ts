/**
 * Runs the driver probes that test/clients/provision installs: Python (two venvs), the Go probe
 * (pgx v5, lib/pq), the Rust probe (tokio-postgres, sqlx) and any other program, asynchronously
 * (the gateway under test runs in this process, so a blocking spawn would stall it). Probes print one JSON object per line.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const clientsDir = fileURLToPath(new URL('../clients/', import.meta.url));
export const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Where provision puts the venvs and the Go probe binary. */
export function clientsCache(): string {
  return process.env.POLARIS_PG_CLIENTS_CACHE ?? join(homedir(), '.cache', 'polaris-pg-clients');
}

/** The venv flavours provision creates: SQLAlchemy 1.4 (Superset) and 2.x. */
export type PythonFlavor = 'sa14' | 'sa2';

export function pythonBin(flavor: PythonFlavor): string {
  const bin = join(clientsCache(), `venv-${flavor}`, 'bin', 'python');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run test/clients/provision`);
  return bin;
}

export function goProbeBin(): string {
  const bin = join(clientsCache(), 'go-probe');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run test/clients/provision`);
  return bin;
}

export function rustProbeBin(): string {
  const bin = join(clientsCache(), 'rust-probe');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run test/clients/provision`);
  return bin;
}

export interface RunResult {
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout lines that start with '{', parsed. */
  lines: Array<Record<string, unknown>>;
}

export interface RunOptions {
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
  cwd?: string;
}

export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, PGCONNECT_TIMEOUT: '10', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code: code ?? -1, signal, stdout, stderr, lines });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs test/clients/python/<script> in the given venv. */
export function runPython(flavor: PythonFlavor, script: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return run(pythonBin(flavor), [join(clientsDir, 'python', script), ...args], options);
}

/** Runs the Go probe: driver 'pgx' or 'pq', scenario 'ping' or 'query'. */
export function runGo(driver: 'pgx' | 'pq', url: string, scenario: 'ping' | 'query', sql = ''): Promise<RunResult> {
  return run(goProbeBin(), [driver, url, scenario, sql]);
}

/** Runs the Rust probe (test/clients/rust): driver 'tokio-postgres' or 'sqlx'. */
export function runRust(driver: 'tokio-postgres' | 'sqlx', url: string, scenario: string, sql = ''): Promise<RunResult> {
  return run(rustProbeBin(), [driver, url, scenario, sql]);
}

/** The first parsed line of the given kind, or a failure that shows the probe's stderr. */
export function line(result: RunResult, kind: string): Record<string, unknown> {
  const found = result.lines.find((l) => l.kind === kind);
  if (found === undefined) throw new Error(`no "${kind}" line (exit ${result.code}):\n${result.stderr}\n${result.stdout}`);
  return found;
}
