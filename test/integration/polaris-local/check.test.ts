/**
 * `polaris-pg check` (the real command line) against polaris-local on the real Druid: it reports the
 * project, the auth mode, the OAuth token's expiry, the tables SQL sees and those the Tables API
 * declares without data (docs/polaris.md, "polaris-pg check"). The strict table lives only in
 * polaris-local's state directory: nothing is written to the shared Druid.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import { druidUrl } from '../../support/gateway.js';
import { call, startTestPolarisLocal, TEST_API_KEY, TEST_CLIENT } from '../../support/polaris-local.js';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const TABLE = 'ptest_check_strict';
const TOKEN_TTL_S = 120;
const FIXTURES = ['customers', 'events', 'Koalas to the Max', 'orders'];

function check(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, 'check', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The names of a "label: N (a, b, ...)" line; the count must be the length of the list. */
function listed(stdout: string, label: string): string[] {
  const match = new RegExp(`\\n${label}: (\\d+)(?: \\((.*)\\))?\\n`).exec(stdout);
  expect(match, label).not.toBeNull();
  const names = match?.[2] === undefined ? [] : match[2].split(', ');
  expect(names).toHaveLength(Number(match?.[1]));
  return names;
}

describe('polaris-pg check against polaris-local', () => {
  let local: PolarisLocal;

  beforeAll(async () => {
    local = await startTestPolarisLocal({ druidUrl: druidUrl(), tokenTtlS: TOKEN_TTL_S });
    const created = await call(local, 'POST', '/tables', { name: TABLE, schemaMode: 'strict', schema: [{ name: 'city', dataType: 'string' }] });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await local?.close();
  });

  it('with OAuth client credentials: project, auth mode, token expiry, tables with and without data', { timeout: 60_000 }, async () => {
    const before = Date.now();
    const tokenUrl = local.tokenUrl;
    const r = await check(['--polaris-url', local.url, '--project', local.projectId, '--polaris-client-id', TEST_CLIENT.id, '--polaris-token-url', tokenUrl], {
      POLARIS_PG_POLARIS_CLIENT_SECRET: TEST_CLIENT.secret,
    });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      `backend: polaris at ${local.url} (project ${local.projectId})`,
      `project: ${local.projectId}`,
      `auth: OAuth client credentials (client ${TEST_CLIENT.id}, token URL ${tokenUrl})`,
    ]);
    const expiry = /^token expires: (\S+) \(in (\d+) s; refreshed before then\)$/.exec(lines[3] ?? '');
    expect(expiry).not.toBeNull();
    const expiresAt = Date.parse(expiry?.[1] ?? '');
    expect(expiresAt).toBeGreaterThanOrEqual(before + (TOKEN_TTL_S - 1) * 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + TOKEN_TTL_S * 1000);
    expect(r.stdout).not.toContain(TEST_CLIENT.secret);
    // Other test files may ingest tables into the shared Druid meanwhile: the fixtures are among them.
    expect(listed(r.stdout, 'tables visible')).toEqual(expect.arrayContaining(FIXTURES));
    expect(listed(r.stdout, 'tables without data')).toContain(TABLE);
    expect(listed(r.stdout, 'tables visible')).not.toContain(TABLE);
  });

  it('with an API key: the auth mode names the variable, never the key', { timeout: 60_000 }, async () => {
    const r = await check(['--polaris-url', local.url, '--project', local.projectId], { POLARIS_PG_POLARIS_API_KEY: TEST_API_KEY });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('\nauth: API key (POLARIS_PG_POLARIS_API_KEY)\n');
    expect(r.stdout).not.toContain('token expires');
    expect(r.stdout).not.toContain(TEST_API_KEY);
    expect(listed(r.stdout, 'tables without data')).toContain(TABLE);
  });

  it('with a project polaris-local does not serve: 3D000 and the --project hint', { timeout: 60_000 }, async () => {
    const r = await check(['--polaris-url', local.url, '--project', '00000000-0000-4000-8000-000000000000'], { POLARIS_PG_POLARIS_API_KEY: TEST_API_KEY });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The project was not found. [SQLSTATE 3D000]');
    expect(r.stderr).toContain('hint: Check --project');
  });
});
