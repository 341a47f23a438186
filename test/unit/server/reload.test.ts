/**
 * SIGHUP reload (src/server/files.ts): a rotated certificate is presented to new connections while
 * open TLS sessions go on; a new users file admits new users; a broken file keeps the previous one.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaults } from '../../../src/config/settings.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { startGateway, type Gateway } from '../../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { oneRow } from '../../support/fake-gateway.js';
import { withSchema } from '../../support/fake-schema.js';
import { makeTestPki, type TestPki } from '../../support/tls.js';

describe('reload on SIGHUP', () => {
  let fake: FakeDruid;
  let gateway: Gateway;
  let first: TestPki;
  let second: TestPki;
  let logged = '';
  const dir = mkdtempSync(join(tmpdir(), 'ppg-reload-'));
  const cert = join(dir, 'server.pem');
  const key = join(dir, 'server.key');
  const users = join(dir, 'users.yaml');

  beforeAll(async () => {
    first = makeTestPki();
    second = makeTestPki();
    copyFileSync(first.cert, cert);
    copyFileSync(first.key, key);
    writeFileSync(users, 'users:\n  - name: alice\n    password: "a-pass"\n');
    fake = await startFakeDruid();
    withSchema(fake, oneRow);
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString();
        done();
      },
    });
    gateway = await startGateway(
      { ...defaults, listen: { host: '127.0.0.1', port: 0 }, druidUrl: fake.url, tlsCert: cert, tlsKey: key, auth: 'users', usersFile: users },
      { logger: createLogger('info', sink), metrics: new Metrics({ defaultMetrics: false }), catalogEngine: null },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  function client(user: string, password: string, ca: string): pg.Client {
    const c = new pg.Client({ host: '127.0.0.1', port: gateway.port, user, password, database: 'druid', ssl: { ca: [readCa(ca)], servername: 'localhost' } });
    c.on('error', () => undefined);
    return c;
  }

  it('presents the rotated certificate to new connections and keeps open TLS sessions', async () => {
    const open = client('alice', 'a-pass', first.ca);
    await open.connect();
    copyFileSync(second.cert, cert);
    copyFileSync(second.key, key);
    writeFileSync(users, 'users:\n  - name: alice\n    password: "a-pass"\n  - name: bob\n    password: "b-pass"\n');
    expect(gateway.reload()).toEqual({ tls: true, users: true });

    await expect(client('alice', 'a-pass', first.ca).connect()).rejects.toThrow(/self.signed|unable to verify|certificate/);
    const rotated = client('bob', 'b-pass', second.ca);
    await rotated.connect();
    expect((await rotated.query('SELECT * FROM t')).rows).toHaveLength(1);
    expect((await open.query('SELECT * FROM t')).rows).toHaveLength(1);
    await rotated.end();
    await open.end();
  });

  it('keeps the previous files when the new ones are broken, and logs why', async () => {
    writeFileSync(cert, 'not a certificate');
    writeFileSync(users, 'users: [');
    expect(gateway.reload()).toEqual({ tls: false, users: false });
    expect(logged).toContain('reload: kept the previous TLS certificate and key');
    expect(logged).toContain('reload: kept the previous users file');
    const still = client('bob', 'b-pass', second.ca);
    await still.connect();
    expect((await still.query('SELECT * FROM t')).rows).toHaveLength(1);
    await still.end();
  });
});

function readCa(path: string): string {
  return readFileSync(path, 'utf8');
}
