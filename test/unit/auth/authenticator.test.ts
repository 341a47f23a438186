import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Authenticator, type AuthenticatorOptions, type AuthStep } from '../../../src/auth/authenticator.js';
import { md5PasswordHash, md5Response } from '../../../src/auth/md5.js';
import { mockScramVerifier } from '../../../src/auth/scram.js';
import { createUserStore, hashPasswordForUsersFile } from '../../../src/auth/users-file.js';

interface PgSaslSession {
  response: string;
}
const pgSasl = createRequire(import.meta.url)('pg/lib/crypto/sasl.js') as {
  startSession(mechanisms: string[]): PgSaslSession;
  continueSession(session: PgSaslSession, password: string, serverData: string): Promise<void>;
  finalizeSession(session: PgSaslSession, serverData: string): void;
};

const cstring = (s: string): Buffer => Buffer.from(`${s}\0`, 'utf8');
function saslInitial(mechanism: string, data: string): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(Buffer.byteLength(data));
  return Buffer.concat([cstring(mechanism), len, Buffer.from(data)]);
}

const users = createUserStore(
  [
    { name: 'alice', password: 'wonderland' },
    { name: 'bob', md5: md5PasswordHash('builder', 'bob') },
  ],
  'test',
  { iterations: 1024 },
);
const configured = { kind: 'basic', username: 'svc', password: 'svc-pass' } as const;
const MOCK_SECRET = Buffer.alloc(32, 1);

function make(options: Partial<AuthenticatorOptions> = {}): Authenticator {
  const defaults = { users, backendCredential: configured, mockSecret: MOCK_SECRET };
  return new Authenticator({ mode: 'users', backendKind: 'druid', ...defaults, ...options });
}

/** Drives a SCRAM exchange with node-postgres's client; returns the final step. */
async function scram(auth: Authenticator, user: string, password: string): Promise<AuthStep> {
  expect(auth.start(user, 'db')).toEqual({ send: 'sasl', mechanisms: ['SCRAM-SHA-256'] });
  const session = pgSasl.startSession(['SCRAM-SHA-256']);
  const cont = auth.next(saslInitial('SCRAM-SHA-256', session.response));
  if (cont.send !== 'saslContinue') throw new Error(`unexpected step ${cont.send}`);
  await pgSasl.continueSession(session, password, cont.data.toString());
  const final = auth.next(Buffer.from(session.response));
  if (final.send === 'saslFinal') pgSasl.finalizeSession(session, final.data.toString());
  return final;
}

const failed = (user: string) =>
  expect.objectContaining({ code: '28P01', severity: 'FATAL', message: `password authentication failed for user "${user}"` });
const violation = expect.objectContaining({ code: '08P01', severity: 'FATAL' });

describe('trust mode', () => {
  it('accepts at once with the configured credential', () => {
    expect(make({ mode: 'trust' }).start('anyone', 'db')).toEqual({
      send: 'ok',
      outcome: { user: 'anyone', database: 'db', backendCredential: configured },
    });
    const noCredential = new Authenticator({ mode: 'trust', backendKind: 'polaris' });
    expect(noCredential.start('x', 'y')).toMatchObject({ outcome: { backendCredential: { kind: 'none' } } });
  });
});

describe('passthrough mode', () => {
  it('maps the cleartext password to a Polaris API key', () => {
    const auth = make({ mode: 'passthrough', backendKind: 'polaris' });
    expect(auth.start('u', 'db')).toEqual({ send: 'cleartext' });
    expect(auth.next(cstring('pok_secret'))).toEqual({
      send: 'ok',
      outcome: { user: 'u', database: 'db', backendCredential: { kind: 'apiKey', apiKey: 'pok_secret' } },
    });
  });

  it('maps a JWT-shaped password to a Polaris bearer token', () => {
    const auth = make({ mode: 'passthrough', backendKind: 'polaris' });
    auth.start('u', 'db');
    expect(auth.next(cstring('eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln'))).toMatchObject({
      outcome: { backendCredential: { kind: 'bearer', token: 'eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln' } },
    });
  });

  it('maps the user and password to Druid basic auth', () => {
    const auth = make({ mode: 'passthrough', backendKind: 'druid' });
    auth.start('admin', 'db');
    expect(auth.next(cstring('p\u00E4ss'))).toMatchObject({
      outcome: { backendCredential: { kind: 'basic', username: 'admin', password: 'p\u00E4ss' } },
    });
  });

  it('rejects an empty password and a malformed packet', () => {
    const a = make({ mode: 'passthrough' });
    a.start('u', 'db');
    expect(() => a.next(cstring(''))).toThrow(failed('u'));
    const c = make({ mode: 'passthrough' });
    c.start('u', 'db');
    expect(() => c.next(Buffer.from('no-terminator'))).toThrow(violation);
  });
});

describe('users mode with SCRAM', () => {
  it('authenticates a user whose plain password became a verifier', async () => {
    const final = await scram(make(), 'alice', 'wonderland');
    expect(final).toMatchObject({ send: 'saslFinal', outcome: { user: 'alice', database: 'db', backendCredential: configured } });
  });

  it('rejects a wrong password', async () => {
    await expect(scram(make(), 'alice', 'wrong')).rejects.toThrow(failed('alice'));
  });

  it('runs a mock exchange for an unknown user and fails with the same error', async () => {
    const auth = make();
    auth.start('mallory', 'db');
    const session = pgSasl.startSession(['SCRAM-SHA-256']);
    const cont = auth.next(saslInitial('SCRAM-SHA-256', session.response));
    const salt = mockScramVerifier('mallory', MOCK_SECRET).salt.toString('base64');
    expect(cont).toMatchObject({ send: 'saslContinue' });
    expect(cont.send === 'saslContinue' && cont.data.toString()).toContain(`,s=${salt},i=4096`);
    await expect(scram(make(), 'mallory', 'guess')).rejects.toThrow(failed('mallory'));
  });

  it('rejects another SASL mechanism', () => {
    const auth = make();
    auth.start('alice', 'db');
    expect(() => auth.next(saslInitial('SCRAM-SHA-256-PLUS', 'p=tls-server-end-point,,n=,r=abc'))).toThrow(
      expect.objectContaining({ code: '08P01', message: 'client selected an invalid SASL authentication mechanism' }),
    );
  });

  it('rejects a SASLInitialResponse whose length field is wrong', () => {
    const auth = make();
    auth.start('alice', 'db');
    const payload = saslInitial('SCRAM-SHA-256', 'n,,n=,r=abc');
    payload.writeInt32BE(99, 'SCRAM-SHA-256'.length + 1);
    expect(() => auth.next(payload)).toThrow(violation);
  });
});

describe('users mode with md5', () => {
  it('uses md5 for a user with only an md5 hash', () => {
    const auth = make();
    const step = auth.start('bob', 'db');
    if (step.send !== 'md5') throw new Error(`unexpected step ${step.send}`);
    expect(step.salt).toHaveLength(4);
    const response = md5Response(md5PasswordHash('builder', 'bob'), step.salt);
    expect(auth.next(cstring(response))).toMatchObject({ send: 'ok', outcome: { user: 'bob', backendCredential: configured } });
  });

  it('uses md5 for plain-password users when passwordMethod is md5, SCRAM when only a verifier exists', () => {
    const auth = make({ passwordMethod: 'md5' });
    const step = auth.start('alice', 'db');
    if (step.send !== 'md5') throw new Error(`unexpected step ${step.send}`);
    expect(() => auth.next(cstring(md5Response(md5PasswordHash('wrong', 'alice'), step.salt)))).toThrow(failed('alice'));
    const scramOnly = createUserStore([{ name: 'v', scram: hashPasswordForUsersFile('pw', { iterations: 1 }) }]);
    expect(make({ passwordMethod: 'md5', users: scramOnly }).start('v', 'db')).toMatchObject({ send: 'sasl' });
  });

  it('challenges an unknown user with md5 and fails', () => {
    const auth = make({ passwordMethod: 'md5' });
    const step = auth.start('nobody', 'db');
    if (step.send !== 'md5') throw new Error(`unexpected step ${step.send}`);
    expect(() => auth.next(cstring(md5Response(md5PasswordHash('x', 'nobody'), step.salt)))).toThrow(failed('nobody'));
  });
});

describe('state machine', () => {
  it('rejects an empty user name, restarts and messages after completion', () => {
    expect(() => make().start('', 'db')).toThrow(expect.objectContaining({ code: '28000', severity: 'FATAL' }));
    const auth = make({ mode: 'trust' });
    auth.start('u', 'db');
    expect(() => auth.start('u', 'db')).toThrow(violation);
    expect(() => auth.next(cstring('x'))).toThrow(violation);
    expect(() => make().next(cstring('x'))).toThrow(violation);
  });

  it("requires a users store in 'users' mode", () => {
    expect(() => new Authenticator({ mode: 'users', backendKind: 'polaris' })).toThrow("auth mode 'users' needs a users store");
  });
});
