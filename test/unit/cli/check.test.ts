import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/cli/check.js';
import { LIST_TABLES_SQL } from '../../../src/backend/sql-http.js';
import { loadConfig, parseArgs } from '../../../src/config/load.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { startFakeTokenEndpoint, type FakeTokenEndpoint } from '../../support/fake-token.js';

const PROJECT = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
let fake: FakeDruid;
let issuer: FakeTokenEndpoint;

beforeEach(async () => {
  fake = await startFakeDruid({ tables: ['events', 'Koalas to the Max'] });
  issuer = await startFakeTokenEndpoint(300);
});

afterEach(async () => {
  await fake.close();
  await issuer.close();
});

async function check(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  const config = loadConfig(parseArgs(['--polaris-url', fake.url, '--project', PROJECT, ...argv]).flags, env);
  let out = '';
  let err = '';
  const code = await runCheck(config, { write: (t: string) => (out += t) }, { write: (t: string) => (err += t) });
  return { code, out, err };
}

describe('polaris-pg check against Polaris', () => {
  it('reports the project, the OAuth auth mode and the token expiry', async () => {
    const before = Date.now();
    const { code, out, err } = await check(['--polaris-client-id', 'cid', '--polaris-token-url', issuer.url], { POLARIS_PG_POLARIS_CLIENT_SECRET: 'sec' });
    expect([code, err]).toEqual([0, '']);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`backend: polaris at ${fake.url} (project ${PROJECT})`);
    expect(lines[1]).toBe(`project: ${PROJECT}`);
    expect(lines[2]).toBe(`auth: OAuth client credentials (client cid, token URL ${issuer.url})`);
    const expiry = /^token expires: (\S+) \(in (\d+) s; refreshed before then\)$/.exec(lines[3] ?? '');
    expect(expiry).not.toBeNull();
    const expiresAt = Date.parse(expiry?.[1] ?? '');
    expect(expiresAt).toBeGreaterThanOrEqual(before + 300_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 300_000);
    expect(Number(expiry?.[2])).toBeGreaterThanOrEqual(299);
    expect(lines.slice(4)).toEqual(['version: unknown', 'tables visible: 2 (events, Koalas to the Max)', 'tables without data: 0', '']);
    expect(out).not.toContain('sec');
    expect(issuer.requests.map((r) => r.form.client_id)).toEqual(['cid']);
    expect(fake.requests.map((r) => [r.method, r.path, r.headers.authorization, (r.body as { query?: string } | undefined)?.query])).toEqual([
      ['POST', `/v1/projects/${PROJECT}/query/sql`, 'Bearer tok-1', LIST_TABLES_SQL],
      ['GET', `/v1/projects/${PROJECT}/tables`, 'Bearer tok-1', undefined],
    ]);
  });

  it('reports an API key without the key, and passthrough', async () => {
    const { code, out } = await check(['--auth', 'passthrough'], { POLARIS_PG_POLARIS_API_KEY: 'pok_hidden' });
    expect(code).toBe(0);
    expect(out).toContain("auth: API key (POLARIS_PG_POLARIS_API_KEY); clients use --auth passthrough, so the gateway sends each client's own password\n");
    expect(out).not.toContain('token expires');
    expect(out).not.toContain('pok_hidden');
  });

  it('names --project when Polaris does not know the project', async () => {
    fake.setHandler((_req, reply) => reply.error(404, { code: 'ObjectNotFound', message: 'The project was not found.' }));
    const { code, out, err } = await check([], { POLARIS_PG_POLARIS_TOKEN: 't' });
    expect([code, out]).toEqual([1, '']);
    expect(err).toBe(
      `polaris-pg check: cannot use the backend at ${fake.url} (project ${PROJECT}): The project was not found. [SQLSTATE 3D000]\n` +
        'hint: Check --project: it must be the ID (a UUID) of a project in this organization and region.\n',
    );
  });
});
