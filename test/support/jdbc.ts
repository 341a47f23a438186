import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const probe = fileURLToPath(new URL('../clients/jdbc/JdbcProbe.java', import.meta.url));
const jars = new Map<string, string>();

/**
 * The pgjdbc jar from ~/.m2 (resolved from Maven Central by test/clients/jdbc/provision): the
 * provision script's default release, or the given one (the release sweep).
 */
export function pgjdbcJar(version?: string): string {
  const key = version ?? '';
  let jar = jars.get(key);
  if (jar === undefined) {
    const env = version === undefined ? process.env : { ...process.env, PGJDBC_VERSION: version };
    jar = execFileSync(`${here}/../clients/jdbc/provision`, { encoding: 'utf8', env }).trim();
    jars.set(key, jar);
  }
  return jar;
}

export interface ProbeLine {
  kind: string;
  [key: string]: unknown;
}

/** Runs JdbcProbe.java (Java's single-file launcher) and returns its JSON lines and exit code. */
export function runJdbc(
  url: string,
  user: string,
  password: string,
  scenario: string,
  arg = '',
  version?: string,
): Promise<{ lines: ProbeLine[]; code: number; stderr: string }> {
  return runJava(pgjdbcJar(version), probe, [url, user, password, scenario, arg]);
}

/** Runs a single-file Java program with the given classpath; stdout lines starting with '{' are parsed. */
export function runJava(classpath: string, program: string, args: string[]): Promise<{ lines: ProbeLine[]; code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-cp', classpath, program, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
