import { describe, expect, it } from 'vitest';
import { loadConfig, parseArgs } from '../../../src/config/load.js';

const flags = (...argv: string[]) => parseArgs(argv).flags;
const POLARIS = ['--polaris-url', 'https://acme.us-east-1.aws.api.imply.io', '--project', 'p1'];

describe('Polaris settings', () => {
  it('--polaris-max-query-ms defaults to five minutes and takes a flag or env value', () => {
    expect(loadConfig(flags(...POLARIS), {}).polarisMaxQueryMs).toBe(300_000);
    expect(loadConfig(flags(...POLARIS, '--polaris-max-query-ms', '60000'), {}).polarisMaxQueryMs).toBe(60_000);
    expect(loadConfig(flags(...POLARIS), { POLARIS_PG_POLARIS_MAX_QUERY_MS: '1000' }).polarisMaxQueryMs).toBe(1000);
    expect(() => loadConfig(flags(...POLARIS, '--polaris-max-query-ms', '0'), {})).toThrow('expected an integer >= 1');
  });
});
