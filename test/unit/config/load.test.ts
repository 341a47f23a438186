import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseArgs, parseHostPort } from '../../../src/config/load.js';
import { parsePeers } from '../../../src/config/peers.js';
import { envName, flagName } from '../../../src/config/settings.js';

const flags = (...argv: string[]) => parseArgs(argv).flags;

describe('configuration', () => {
  it('names flags and environment variables from one table', () => {
    expect(flagName('druidUrl')).toBe('druid-url');
    expect(envName('druidUrl')).toBe('POLARIS_PG_DRUID_URL');
    expect(envName('polarisApiKey')).toBe('POLARIS_PG_POLARIS_API_KEY');
  });

  it('parses HOST:PORT including IPv6 and a bare :PORT', () => {
    expect(parseHostPort('127.0.0.1:5433', 'x')).toEqual({ host: '127.0.0.1', port: 5433 });
    expect(parseHostPort('[::1]:6000', 'x')).toEqual({ host: '::1', port: 6000 });
    expect(parseHostPort(':7000', 'x')).toEqual({ host: '0.0.0.0', port: 7000 });
    expect(() => parseHostPort('localhost', '--listen')).toThrow('--listen: expected HOST:PORT, got "localhost"');
    expect(() => parseHostPort('h:70000', '--listen')).toThrow(ConfigError);
  });

  it('applies defaults < file < env < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ppg-config-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'druidUrl: http://file:8082\nlogLevel: debug\nmax-connections: 7\n');
    const config = loadConfig(flags('--config', file, '--log-level', 'warn'), { POLARIS_PG_LOG_LEVEL: 'error', POLARIS_PG_DRUID_URL: 'http://env:8082' });
    expect(config.druidUrl).toBe('http://env:8082');
    expect(config.logLevel).toBe('warn');
    expect(config.maxConnections).toBe(7);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 5433 });
  });

  it('reads JSON config files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ppg-config-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ polarisUrl: 'https://x.example', project: 'p1', polarisApiKey: 'secret' }));
    const config = loadConfig(flags('--config', file), {});
    expect(config.polarisApiKey).toBe('secret');
    expect(config.project).toBe('p1');
  });

  it('runs one worker per core by default, from 1 to 64, each with at most 65,535 sessions', () => {
    const d = 'http://d:1';
    expect(loadConfig(flags('--druid-url', d), {}).workers).toBe(Math.min(availableParallelism(), 64));
    expect(loadConfig(flags('--druid-url', d), { POLARIS_PG_WORKERS: '1' }).workers).toBe(1);
    expect(() => loadConfig(flags('--druid-url', d, '--workers', '0'), {})).toThrow('--workers: expected an integer from 1 to 64, got "0"');
    expect(() => loadConfig(flags('--druid-url', d, '--workers', '65'), {})).toThrow('--workers: expected an integer from 1 to 64');
    expect(() => loadConfig(flags('--druid-url', d, '--workers', '2', '--max-connections', '70000'), {})).toThrow(
      '--max-connections: at most 65535 (it applies to each worker) with --workers above 1',
    );
    expect(loadConfig(flags('--druid-url', d, '--workers', '1', '--max-connections', '70000'), {}).maxConnections).toBe(70000);
  });

  it('refuses secrets on the command line', () => {
    expect(() => loadConfig(flags('--druid-url', 'http://d:1', '--polaris-api-key', 'k'), {})).toThrow(
      '--polaris-api-key: secrets are read only from POLARIS_PG_POLARIS_API_KEY or a --config file',
    );
  });

  it('names the setting in every validation error', () => {
    expect(() => loadConfig(flags(), {})).toThrow(/--druid-url/);
    expect(() => loadConfig(flags('--druid-url', 'ftp://x'), {})).toThrow('--druid-url: expected an http:// or https:// URL, got "ftp://x"');
    expect(() => loadConfig(flags('--polaris-url', 'https://x'), {})).toThrow('--project: required with --polaris-url');
    expect(() => loadConfig(flags('--druid-url', 'http://x', '--auth', 'magic'), {})).toThrow('expected one of trust|passthrough|users');
    expect(() => loadConfig(flags('--druid-url', 'http://x', '--auth', 'users'), {})).toThrow('--users-file: required with --auth users');
    expect(() => loadConfig(flags('--druid-url', 'http://x', '--tls-cert', 'a.pem'), {})).toThrow('--tls-cert and --tls-key');
    expect(() => loadConfig(flags('--druid-url', 'http://x', '--bogus', '1'), {})).toThrow('unknown option --bogus');
    expect(() => loadConfig(flags('--druid-url', 'http://x'), { POLARIS_PG_MAX_CONNECTIONS: 'many' })).toThrow(
      'POLARIS_PG_MAX_CONNECTIONS (maxConnections): expected an integer >= 1, got "many"',
    );
  });

  it('reads the scale-out settings: --proxy-protocol, --instance-id, --peers with its secret', () => {
    const base = ['--druid-url', 'http://x'];
    expect(loadConfig(flags(...base, '--proxy-protocol'), {}).proxyProtocol).toBe(true);
    expect(loadConfig(flags(...base, '--proxy-protocol', 'off'), {}).proxyProtocol).toBe(false);
    expect(() => loadConfig(flags(...base, '--proxy-protocol', 'maybe'), {})).toThrow('--proxy-protocol: expected on or off, got "maybe"');
    expect(() => loadConfig(flags(...base, '--instance-id', '256'), {})).toThrow('--instance-id: expected an integer from 0 to 255, got "256"');
    expect(() => loadConfig(flags(...base, '--peers', '2=http://b:9090'), {})).toThrow('--peers: needs the shared secret in POLARIS_PG_PEER_SECRET');
    expect(() => loadConfig(flags(...base, '--peers', '2=http://b:9090'), { POLARIS_PG_PEER_SECRET: 's' })).toThrow('--peers: needs --http-listen');
    expect(() => loadConfig(flags(...base, '--peer-secret', 's'), {})).toThrow('secrets are read only from POLARIS_PG_PEER_SECRET');
    expect([...parsePeers('2=http://b:9090, 3=https://c:9090/', 1)].map(([id, url]) => [id, url.href])).toEqual([
      [2, 'http://b:9090/'],
      [3, 'https://c:9090/'],
    ]);
    expect(() => parsePeers('1=http://a:9090', 1)).toThrow("--peers: 1 is this instance's --instance-id");
    expect(() => parsePeers('2=http://a:1,2=http://b:1', 1)).toThrow('--peers: instance 2 is listed twice');
    expect(() => parsePeers('b:9090', 1)).toThrow('--peers: expected ID=http://HOST:PORT, got "b:9090"');
  });
});
