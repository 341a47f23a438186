import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatScramVerifier, makeScramVerifier, parseScramVerifierString } from '../../../src/auth/scram.js';
import { createUserStore, hashPasswordForUsersFile, loadUsersFile, parseUsersFile } from '../../../src/auth/users-file.js';

const RFC_VERIFIER =
  'SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=';

describe('users file', () => {
  it('loads YAML with scram, md5 and plain-password entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'polaris-pg-users-'));
    const path = join(dir, 'users.yaml');
    writeFileSync(
      path,
      `users:\n  - name: alice\n    scram: "${RFC_VERIFIER}"\n  - name: bob\n    md5: md520c46e3762c864548e296b33c3406aa9\n  - name: carol\n    password: pencil\n`,
    );
    const store = loadUsersFile(path);
    expect(store.size).toBe(3);
    expect(store.lookup('alice')).toEqual({ name: 'alice', scram: parseScramVerifierString(RFC_VERIFIER) });
    expect(store.lookup('bob')).toEqual({ name: 'bob', md5: 'md520c46e3762c864548e296b33c3406aa9' });
    const carol = store.lookup('carol');
    expect(carol?.md5).toBe('md5' + createHash('md5').update('pencilcarol').digest('hex'));
    expect(formatScramVerifier(makeScramVerifier('pencil', { salt: carol!.scram!.salt }))).toBe(formatScramVerifier(carol!.scram!));
    expect(store.lookup('Alice')).toBeUndefined();
    expect(store.lookup('dave')).toBeUndefined();
  });

  it('loads JSON', () => {
    const store = parseUsersFile(JSON.stringify({ users: [{ name: 'a', scram: RFC_VERIFIER }] }), 'u.json');
    expect(store.lookup('a')?.scram?.iterations).toBe(4096);
  });

  it.each([
    ['users: [', /^f\.yaml: not valid YAML or JSON: /],
    ['- a', /^f\.yaml: expected a mapping with a "users" list, got a list$/],
    ['users: 3', /^f\.yaml: "users" must be a list, got number$/],
    ['user: []', /^f\.yaml: unknown top-level key "user" \(allowed: users\)$/],
    ['users: [3]', /^f\.yaml: users\[0\]: must be a mapping, got number$/],
    ['users: [{ scram: x }]', /^f\.yaml: users\[0\]: "name" must be a non-empty string$/],
    ['users: [{ name: a }]', /^f\.yaml: users\[0\] \("a"\): needs one of "scram", "md5" or "password"$/],
    ['users: [{ name: a, pasword: x }]', /^f\.yaml: users\[0\] \("a"\): unknown key "pasword"/],
    ['users: [{ name: a, password: 5 }]', /^f\.yaml: users\[0\] \("a"\): "password" must be a string, got number$/],
    ['users: [{ name: a, password: "" }]', /^f\.yaml: users\[0\] \("a"\): "password" must not be empty$/],
    ['users: [{ name: a, password: x, md5: y }]', /"password" cannot be combined with "scram" or "md5"$/],
    ['users: [{ name: a, md5: md5XYZ }]', /^f\.yaml: users\[0\] \("a"\): "md5" must be "md5" followed by 32 lowercase hex digits$/],
    ['users: [{ name: a, scram: "SCRAM-SHA-256$1:x" }]', /^f\.yaml: users\[0\] \("a"\): "scram" is invalid: not a SCRAM-SHA-256 secret/],
    ['users: [{ name: a, password: x }, { name: a, password: y }]', /^f\.yaml: users\[1\] \("a"\): duplicate user name "a"$/],
  ])('reports %j', (text, message) => {
    expect(() => parseUsersFile(text, 'f.yaml')).toThrow(message);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadUsersFile('/nonexistent/users.yaml')).toThrow(/^\/nonexistent\/users\.yaml: cannot read users file: /);
  });

  it('hashes a password for the file in a form the loader accepts', () => {
    const line = hashPasswordForUsersFile('pencil');
    expect(line).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
    const v = parseScramVerifierString(line);
    expect(formatScramVerifier(makeScramVerifier('pencil', { salt: v.salt }))).toBe(line);
    expect(createUserStore([{ name: 'x', scram: line }]).lookup('x')?.scram).toEqual(v);
    expect(() => hashPasswordForUsersFile('')).toThrow('password must not be empty');
  });
});
