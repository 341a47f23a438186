import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5PasswordHash } from '../../src/auth/md5.js';
import { hashPasswordForUsersFile } from '../../src/auth/users-file.js';
import type { Gateway } from '../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid } from '../support/fake-druid.js';
import { schemaHandler, T_COLUMNS, tRow, withSchema } from '../support/fake-schema.js';
import { startTestGateway } from '../support/gateway.js';
import { runJdbc } from '../support/jdbc.js';
import { psql } from '../support/psql.js';
import { makeTestPki, type TestPki } from '../support/tls.js';

describe('authentication and TLS with real clients', () => {
  let fake: FakeDruid;
  let gateway: Gateway;
  let pki: TestPki;
  beforeAll(async () => {
    pki = makeTestPki();
    const usersFile = join(pki.dir, 'users.yaml');
    writeFileSync(
      usersFile,
      [
        'users:',
        '  - name: alice',
        `    scram: "${hashPasswordForUsersFile('pencil')}"`,
        '  - name: bob',
        `    md5: "${md5PasswordHash('hunter2', 'bob')}"`,
        '',
      ].join('\n'),
    );
    fake = await startFakeDruid();
    withSchema(fake, (_req, reply) => reply.result(T_COLUMNS, [tRow(1)]));
    gateway = await startTestGateway({
      config: { druidUrl: fake.url, auth: 'users', usersFile, tlsCert: pki.cert, tlsKey: pki.key },
      catalogEngine: null,
    });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  const conn = (user: string, extra: string) => `host=127.0.0.1 port=${gateway.port} dbname=druid user=${user} ${extra}`;

  it('psql logs in with SCRAM-SHA-256 and is refused a wrong password', async () => {
    const ok = await psql(conn('alice', 'sslmode=disable'), ['-At', '-c', 'SHOW session_authorization'], undefined, { PGPASSWORD: 'pencil' });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('alice\n');
    const bad = await psql(conn('alice', 'sslmode=disable'), ['-At', '-c', 'SELECT 1'], undefined, { PGPASSWORD: 'wrong' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('password authentication failed for user "alice"');
  });

  it('psql logs in with md5', async () => {
    const ok = await psql(conn('bob', 'sslmode=disable'), ['-At', '-c', 'SHOW session_authorization'], undefined, { PGPASSWORD: 'hunter2' });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('bob\n');
  });

  it('refuses an unknown user the same way as a wrong password', async () => {
    const bad = await psql(conn('mallory', 'sslmode=disable'), ['-At', '-c', 'SELECT 1'], undefined, { PGPASSWORD: 'pencil' });
    expect(bad.stderr).toContain('password authentication failed for user "mallory"');
  });

  it('psql connects over TLS with sslmode=require and verify-full, and verify-full rejects another CA', async () => {
    const env = { PGPASSWORD: 'pencil' };
    const required = await psql(conn('alice', 'sslmode=require'), ['-At', '-c', 'SELECT n FROM t'], undefined, env);
    expect(required.stderr).toBe('');
    expect(required.stdout).toBe('2026-01-01 00:00:01+00|c1|1\n');
    const verified = await psql(
      `host=localhost port=${gateway.port} dbname=druid user=alice sslmode=verify-full sslrootcert=${pki.ca}`,
      ['-At', '-c', 'SHOW session_authorization'],
      undefined,
      env,
    );
    expect(verified.stderr).toBe('');
    expect(verified.stdout).toBe('alice\n');
    const wrongCa = await psql(
      `host=localhost port=${gateway.port} dbname=druid user=alice sslmode=verify-full sslrootcert=${pki.otherCa}`,
      ['-At', '-c', 'SELECT 1'],
      undefined,
      env,
    );
    expect(wrongCa.status).not.toBe(0);
    expect(wrongCa.stderr).toMatch(/certificate verify failed/);
  });

  it('pgjdbc logs in with SCRAM-SHA-256 and md5, and over TLS with verify-full', async () => {
    const base = `jdbc:postgresql://localhost:${gateway.port}/druid`;
    const scram = await runJdbc(`${base}?sslmode=disable`, 'alice', 'pencil', 'query', 'SHOW session_authorization');
    expect(scram.code, scram.stderr).toBe(0);
    expect(scram.lines.find((l) => l.kind === 'row')?.values).toEqual(['alice']);
    const md5 = await runJdbc(`${base}?sslmode=disable`, 'bob', 'hunter2', 'query', 'SHOW session_authorization');
    expect(md5.lines.find((l) => l.kind === 'row')?.values).toEqual(['bob']);
    const tls = await runJdbc(`${base}?sslmode=verify-full&sslrootcert=${pki.ca}`, 'alice', 'pencil', 'query', 'SHOW session_authorization');
    expect(tls.code, tls.stderr).toBe(0);
    expect(tls.lines.find((l) => l.kind === 'row')?.values).toEqual(['alice']);
    const wrong = await runJdbc(`${base}?sslmode=disable`, 'alice', 'nope', 'connect');
    expect(wrong.lines.find((l) => l.kind === 'error')).toMatchObject({ sqlstate: '28P01' });
  });
});

describe('passthrough authentication', () => {
  let fake: FakeDruid;
  let gateway: Gateway;
  beforeAll(async () => {
    fake = await startFakeDruid();
    const good = `Basic ${Buffer.from('analyst:s3cret').toString('base64')}`;
    const authorized = schemaHandler((_req, reply) => reply.result(T_COLUMNS, [tRow(1)]));
    fake.setHandler((req, reply) => {
      if (req.headers.authorization !== good) {
        reply.error(401, { error: 'Unauthorized', errorMessage: 'Unauthorized' });
        return;
      }
      return authorized(req, reply);
    });
    gateway = await startTestGateway({ config: { druidUrl: fake.url, auth: 'passthrough' }, catalogEngine: null });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  it('uses the client password as the Druid credential and refuses one Druid rejects', async () => {
    const url = `host=127.0.0.1 port=${gateway.port} dbname=druid user=analyst sslmode=disable`;
    const ok = await psql(url, ['-At', '-c', 'SELECT n FROM t'], undefined, { PGPASSWORD: 's3cret' });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('2026-01-01 00:00:01+00|c1|1\n');
    const bad = await psql(url, ['-At', '-c', 'SELECT n FROM t'], undefined, { PGPASSWORD: 'guess' });
    expect(bad.stderr).toContain('password authentication failed for user "analyst"');
    const lastQuery = fake.requests.at(-1);
    expect(JSON.stringify(lastQuery?.headers)).not.toContain('guess');
  });
});
