import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const probe = fileURLToPath(new URL('../clients/jdbc/JdbcProbe.java', import.meta.url));
let jar: string | undefined;

/** The pgjdbc jar from ~/.m2 (resolved from Maven Central by test/clients/jdbc/provision). */
export function pgjdbcJar(): string {
  jar ??= execFileSync(`${here}/../clients/jdbc/provision`, { encoding: 'utf8' }).trim();
  return jar;
}

export interface ProbeLine {
  kind: string;
  [key: string]: unknown;
}

/** Runs JdbcProbe.java (Java's single-file launcher) and returns its JSON lines and exit code. */
export function runJdbc(url: string, user: string, password: string, scenario: string, arg = ''): Promise<{ lines: ProbeLine[]; code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-cp', pgjdbcJar(), probe, url, user, password, scenario, arg], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as ProbeLine);
      resolve({ lines, code: code ?? -1, stderr: err });
    });
  });
}
