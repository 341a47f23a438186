import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { loadConfig, parseArgs } from '../../../src/config/load.js';
import { createLogger } from '../../../src/observability/logger.js';

const flags = (...argv: string[]) => parseArgs(argv).flags;
const POLARIS = ['--polaris-url', 'https://acme.us-east-1.aws.api.imply.io', '--project', 'p1'];

describe('Polaris settings', () => {
  it('--polaris-max-query-ms defaults to five minutes and takes a flag or env value', () => {
    expect(loadConfig(flags(...POLARIS), {}).polarisMaxQueryMs).toBe(300_000);
    expect(loadConfig(flags(...POLARIS, '--polaris-max-query-ms', '60000'), {}).polarisMaxQueryMs).toBe(60_000);
    expect(loadConfig(flags(...POLARIS), { POLARIS_PG_POLARIS_MAX_QUERY_MS: '1000' }).polarisMaxQueryMs).toBe(1000);
    expect(() => loadConfig(flags(...POLARIS, '--polaris-max-query-ms', '0'), {})).toThrow('expected an integer >= 1');
  });

  it("takes OAuth client credentials, the secret from the environment only, defaulting the token URL to Imply's issuer", () => {
    const env = { POLARIS_PG_POLARIS_CLIENT_SECRET: 'sec' };
    const config = loadConfig(flags(...POLARIS, '--polaris-client-id', 'cid'), env);
    expect([config.polarisClientId, config.polarisClientSecret, config.polarisTokenUrl]).toEqual([
      'cid',
      'sec',
      'https://id.imply.io/auth/realms/acme/protocol/openid-connect/token',
    ]);
    const custom = loadConfig(flags(...POLARIS, '--polaris-client-id', 'cid', '--polaris-token-url', 'http://127.0.0.1:9/t'), env);
    expect(custom.polarisTokenUrl).toBe('http://127.0.0.1:9/t');
    expect(() => loadConfig(flags(...POLARIS, '--polaris-client-id', 'cid', '--polaris-client-secret', 'sec'), {})).toThrow(
      '--polaris-client-secret: secrets are read only from POLARIS_PG_POLARIS_CLIENT_SECRET or a --config file',
    );
  });

  it('refuses incomplete or conflicting OAuth settings', () => {
    const env = { POLARIS_PG_POLARIS_CLIENT_SECRET: 'sec' };
    expect(() => loadConfig(flags(...POLARIS, '--polaris-client-id', 'cid'), {})).toThrow('POLARIS_PG_POLARIS_CLIENT_SECRET');
    expect(() => loadConfig(flags(...POLARIS), env)).toThrow('--polaris-client-id: required');
    expect(() => loadConfig(flags(...POLARIS, '--polaris-client-id', 'cid'), { ...env, POLARIS_PG_POLARIS_API_KEY: 'k' })).toThrow('set only one');
    expect(() => loadConfig(flags('--druid-url', 'http://d:1', '--polaris-client-id', 'cid'), env)).toThrow('need --polaris-url');
    const local = ['--polaris-url', 'http://127.0.0.1:9000', '--project', 'p1', '--polaris-client-id', 'cid'];
    expect(() => loadConfig(flags(...local), env)).toThrow('--polaris-token-url: required');
  });

  it('never logs the client secret', async () => {
    const config = loadConfig(flags(...POLARIS, '--polaris-client-id', 'cid'), { POLARIS_PG_POLARIS_CLIENT_SECRET: 'sec-xyz' });
    const sink = new PassThrough();
    let text = '';
    sink.on('data', (chunk: Buffer) => (text += chunk.toString()));
    createLogger('info', sink).info({ config }, 'starting');
    await new Promise((resolve) => setImmediate(resolve));
    expect(text).toContain('"polarisClientId":"cid"');
    expect(text).toContain('"polarisClientSecret":"[redacted]"');
    expect(text).not.toContain('sec-xyz');
  });
});
