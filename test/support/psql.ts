import { spawn } from 'node:child_process';

export interface PsqlResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs psql (no psqlrc, quiet) with `input` on stdin. Asynchronous: the gateway under test runs in
 * this process, so a blocking spawn would stall it.
 */
export function psql(url: string, args: string[], input?: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<PsqlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-X', '-q', url, ...args], {
      env: { ...process.env, PGCONNECT_TIMEOUT: '10', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}
