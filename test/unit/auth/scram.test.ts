import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  formatScramVerifier,
  makeScramVerifier,
  mockScramVerifier,
  parseScramVerifierString,
  ScramServerExchange,
} from '../../../src/auth/scram.js';

interface PgSaslSession {
  response: string;
}
const pgSasl = createRequire(import.meta.url)('pg/lib/crypto/sasl.js') as {
  startSession(mechanisms: string[], stream?: object): PgSaslSession;
  continueSession(session: PgSaslSession, password: string, serverData: string, stream?: object): Promise<void>;
  finalizeSession(session: PgSaslSession, serverData: string): void;
};

// RFC 7677 section 3.
const RFC = {
  salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'),
  serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};
const rfcVerifier = makeScramVerifier('pencil', { salt: RFC.salt, iterations: 4096 });
const b = (s: string): Buffer => Buffer.from(s, 'utf8');

function rfcExchange(user = 'user'): ScramServerExchange {
  return new ScramServerExchange({ verifier: rfcVerifier }, { user, serverNonce: RFC.serverNonce });
}

async function runPgClient(exchange: ScramServerExchange, password: string, stream?: object): Promise<void> {
  const session = pgSasl.startSession(['SCRAM-SHA-256'], stream);
  const serverFirst = exchange.handleClientFirst(b(session.response)).toString();
  await pgSasl.continueSession(session, password, serverFirst, stream);
  const serverFinal = exchange.handleClientFinal(b(session.response)).toString();
  pgSasl.finalizeSession(session, serverFinal);
}

describe('RFC 7677 test vector', () => {
  it('produces the exact server-first and server-final messages', () => {
    const ex = rfcExchange();
    expect(ex.handleClientFirst(b(RFC.clientFirst)).toString()).toBe(RFC.serverFirst);
    expect(ex.clientUsername).toBe('user');
    expect(ex.handleClientFinal(b(RFC.clientFinal)).toString()).toBe(RFC.serverFinal);
    expect(ex.done).toBe(true);
  });

  it('works the same when the verifier is derived from the password', () => {
    const ex = new ScramServerExchange({ password: 'pencil' }, { user: 'user', serverNonce: RFC.serverNonce });
    const serverFirst = ex.handleClientFirst(b(RFC.clientFirst)).toString();
    expect(serverFirst).toMatch(/^r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj\)hNlF\$k0,s=[A-Za-z0-9+/]{22}==,i=4096$/);
  });
});

describe('verifier strings', () => {
  it('formats and parses the PostgreSQL rolpassword form', () => {
    const text = formatScramVerifier(rfcVerifier);
    expect(text).toBe(
      'SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=',
    );
    expect(parseScramVerifierString(text)).toEqual(rfcVerifier);
  });

  it('uses 4096 iterations and a 16-byte random salt by default', () => {
    const a = makeScramVerifier('x');
    const c = makeScramVerifier('x');
    expect(a.iterations).toBe(4096);
    expect(a.salt).toHaveLength(16);
    expect(a.salt.equals(c.salt)).toBe(false);
  });

  it.each([
    ['SCRAM-SHA-1$4096:W22ZaJ0SNY7soEsUEjb6gQ==$a:b', /not a SCRAM-SHA-256 secret/],
    ['SCRAM-SHA-256$0:W22ZaJ0SNY7soEsUEjb6gQ==$a:b', /not a SCRAM-SHA-256 secret/],
    ['SCRAM-SHA-256$4096:W22Z=aJ0$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=', /invalid salt/],
    ['SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$AAAA:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=', /invalid StoredKey/],
  ])('rejects %s', (text, message) => {
    expect(() => parseScramVerifierString(text)).toThrow(message);
  });
});

describe('interoperability with node-postgres', () => {
  it('authenticates the right password (gs2 flag n)', async () => {
    const ex = new ScramServerExchange({ verifier: makeScramVerifier('s3cret \u00E9') }, { user: 'alice' });
    await expect(runPgClient(ex, 's3cret \u00E9')).resolves.toBeUndefined();
    expect(ex.clientUsername).toBe('*');
  });

  it('authenticates the right password with a SASLprep-mapped variant (gs2 flag y)', async () => {
    const ex = new ScramServerExchange({ password: 'I\u00ADX' }, { user: 'alice' });
    await expect(runPgClient(ex, '\u2168', {})).resolves.toBeUndefined();
  });

  it('rejects a wrong password with 28P01 FATAL', async () => {
    const ex = new ScramServerExchange({ verifier: makeScramVerifier('right') }, { user: 'alice' });
    await expect(runPgClient(ex, 'wrong')).rejects.toMatchObject({
      code: '28P01',
      severity: 'FATAL',
      message: 'password authentication failed for user "alice"',
    });
  });

  it('fails a mock exchange for an unknown user only at the end, even with a matching proof', async () => {
    const secret = Buffer.alloc(32, 7);
    const mock = mockScramVerifier('ghost', secret);
    expect(mockScramVerifier('ghost', secret)).toEqual(mock);
    expect(mockScramVerifier('ghost2', secret).salt.equals(mock.salt)).toBe(false);
    const ex = new ScramServerExchange({ mockVerifier: mock }, { user: 'ghost' });
    const session = pgSasl.startSession(['SCRAM-SHA-256']);
    const serverFirst = ex.handleClientFirst(b(session.response)).toString();
    expect(serverFirst).toContain(`,s=${mock.salt.toString('base64')},i=4096`);
    await pgSasl.continueSession(session, 'anything', serverFirst);
    expect(() => ex.handleClientFinal(b(session.response))).toThrow('password authentication failed for user "ghost"');
  });
});

describe('message validation', () => {
  const protocolError = (detail?: string) => expect.objectContaining({ code: '08P01', severity: 'FATAL', ...(detail ? { detail } : {}) });

  it('refuses channel binding (p=) since -PLUS is not offered', () => {
    expect(() => rfcExchange().handleClientFirst(b('p=tls-server-end-point,,n=,r=abc'))).toThrow(
      protocolError('The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data.'),
    );
  });

  it.each([
    ['garbage', 'hello'],
    ['missing nonce', 'n,,n=user'],
    ['gs2 flag only', 'n'],
    ['nonce with a space', 'n,,n=user,r=a b'],
    ['invalid UTF-8', '\xff'],
  ])('rejects a malformed client-first (%s)', (_label, text) => {
    const data = text === '\xff' ? Buffer.from([0xff]) : b(text);
    expect(() => rfcExchange().handleClientFirst(data)).toThrow(protocolError());
  });

  it('rejects an authorization identity and mandatory extensions with 0A000', () => {
    expect(() => rfcExchange().handleClientFirst(b('n,a=admin,n=user,r=abc'))).toThrow(expect.objectContaining({ code: '0A000' }));
    expect(() => rfcExchange().handleClientFirst(b('n,,m=ext,n=user,r=abc'))).toThrow(expect.objectContaining({ code: '0A000' }));
  });

  it('checks that c= is the base64 of the gs2 header', () => {
    const ex = rfcExchange();
    ex.handleClientFirst(b(RFC.clientFirst));
    expect(() => ex.handleClientFinal(b(RFC.clientFinal.replace('c=biws', 'c=eSws')))).toThrow(
      expect.objectContaining({ code: '08P01', message: 'SCRAM channel binding check failed' }),
    );
  });

  it('accepts gs2 flag y with c=eSws', () => {
    const ex = rfcExchange();
    expect(ex.handleClientFirst(b(`y${RFC.clientFirst.slice(1)}`)).toString()).toBe(RFC.serverFirst);
    // The proof covers the final message, so the RFC proof no longer matches: the password check fails, not the binding.
    expect(() => ex.handleClientFinal(b(RFC.clientFinal.replace('c=biws', 'c=eSws')))).toThrow(expect.objectContaining({ code: '28P01' }));
  });

  it.each([
    ['nonce mismatch', RFC.clientFinal.replace('$k0,', '$k1,'), 'Nonce does not match.'],
    ['missing proof', RFC.clientFinal.replace(',p=', ',x='), 'Could not find proof in client-final-message.'],
    ['short proof', `${RFC.clientFinal.slice(0, RFC.clientFinal.indexOf(',p=') + 3)}AAAA`, 'Malformed proof in client-final-message.'],
  ])('rejects a client-final with %s', (_label, text, detail) => {
    const ex = rfcExchange();
    ex.handleClientFirst(b(RFC.clientFirst));
    expect(() => ex.handleClientFinal(b(text))).toThrow(protocolError(detail));
  });

  it('rejects messages out of order', () => {
    const ex = rfcExchange();
    expect(() => ex.handleClientFinal(b(RFC.clientFinal))).toThrow(protocolError());
    ex.handleClientFirst(b(RFC.clientFirst));
    expect(() => ex.handleClientFirst(b(RFC.clientFirst))).toThrow(protocolError());
  });
});
