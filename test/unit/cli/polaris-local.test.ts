import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { polarisLocalOptions } from '../../../src/cli/polaris-local.js';

describe('polaris-pg polaris-local', () => {
  it('reads its flags and keeps a generated project ID in the state directory', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'polaris-local-cli-'));
    const flags = new Map([
      ['druid-url', 'http://127.0.0.1:8082'],
      ['listen', '127.0.0.1:0'],
      ['state-dir', stateDir],
      ['api-key', 'k'],
      ['client', 'id:se:cret'],
      ['token-ttl-s', '5'],
    ]);
    const options = polarisLocalOptions(flags);
    expect(options).toMatchObject({ host: '127.0.0.1', port: 0, apiKey: 'k', clients: [{ id: 'id', secret: 'se:cret' }], tokenTtlS: 5 });
    expect(polarisLocalOptions(flags).projectId).toBe(options.projectId);
    expect(() => polarisLocalOptions(new Map([...flags, ['project', 'nope']]))).toThrow('--project: expected a UUID');
    expect(() => polarisLocalOptions(new Map([...flags].filter(([k]) => k !== 'api-key')))).toThrow('--api-key is required');
  });

  it('prints READY <regional base URL> <project id> as its last start line', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'polaris-local-cli-'));
    const project = '0f0e0d0c-0b0a-4909-8807-060504030201';
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'polaris-local', '--druid-url', 'http://127.0.0.1:9', '--listen', '127.0.0.1:0', '--state-dir', stateDir, '--api-key', 'k', '--project', project], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.on('error', reject);
      child.on('exit', () => reject(new Error(`exited: ${out}`)));
    });
    expect(line).toMatch(new RegExp(`^READY http://127\\.0\\.0\\.1:\\d+ ${project}$`));
    const status = await fetch(`${line.split(' ')[1] ?? ''}/v1/projects/${project}/query/sql`, { method: 'POST' });
    expect(status.status).toBe(401);
    child.kill('SIGTERM');
  });
});
