import { spawnSync } from 'node:child_process';

export interface PsqlResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs psql (no psqlrc, unaligned, tuples only unless args say otherwise) and feeds `input` on stdin. */
export function psql(url: string, args: string[], input?: string, env: Record<string, string> = {}): PsqlResult {
  const r = spawnSync('psql', ['-X', '-q', url, ...args], {
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PGCONNECT_TIMEOUT: '10', ...env },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
