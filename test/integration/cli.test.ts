import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { druidUrl } from '../support/gateway.js';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end('pencil\n');
  });
}

describe('polaris-pg command line', () => {
  it('exits non-zero with one line naming the setting for a bad configuration', async () => {
    const missing = await cli(['serve']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual([
      'polaris-pg: backend: set --druid-url (or POLARIS_PG_DRUID_URL), or --polaris-url with --project',
    ]);
    const badPort = await cli(['serve', '--druid-url', 'http://x:1', '--listen', 'nowhere']);
    expect(badPort.stderr.trim()).toBe('polaris-pg: --listen: expected HOST:PORT, got "nowhere"');
    const secret = await cli(['serve', '--druid-url', 'http://x:1', '--polaris-api-key', 'k']);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain('secrets are read only from POLARIS_PG_POLARIS_API_KEY');
  });

  it('serve --workers 2 exits 1 naming the worker when its listen address is taken', { timeout: 60_000 }, async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const { port } = taken.address() as AddressInfo;
    const r = await cli(['serve', '--druid-url', 'http://127.0.0.1:1', '--listen', `127.0.0.1:${port}`, '--workers', '2']);
    await new Promise<void>((done) => taken.close(() => done()));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`polaris-pg worker \\d: bind EADDRINUSE.*127\\.0\\.0\\.1:${port}`));
    expect(r.stderr).toMatch(/polaris-pg: worker \d ended \(code 1\) before it listened/);
  });

  it('check reports the backend kind, version and visible tables', async () => {
    const r = await cli(['check', '--druid-url', druidUrl()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^backend: druid at http:\/\/127\.0\.0\.1:\d+\n/);
    expect(r.stdout).toMatch(/\nversion: \d+\.\d+\.\d+\n/);
    // Other test files may be ingesting tables of their own at the same time: the fixture tables
    // are listed, and the count is the length of the list printed.
    const listed = /\ntables visible: (\d+) \((.*)\)\n/.exec(r.stdout);
    expect(listed).not.toBeNull();
    const names = (listed?.[2] ?? '').split(', ');
    expect(names).toHaveLength(Number(listed?.[1]));
    expect(names).toEqual(expect.arrayContaining(['customers', 'events', 'Koalas to the Max', 'orders']));
  });

  it('check fails clearly when the backend is unreachable', async () => {
    const r = await cli(['check', '--druid-url', 'http://127.0.0.1:9']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('polaris-pg check: cannot use the backend at http://127.0.0.1:9');
    expect(r.stderr).toContain('[SQLSTATE 08001]');
  });

  it('hash-password prints a SCRAM-SHA-256 verifier for the users file', async () => {
    const r = await cli(['hash-password']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+\n$/);
  });
});
