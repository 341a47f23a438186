/**
 * MD5 password authentication: the server sends a 4-byte salt (AuthenticationMD5Password) and the
 * client answers 'md5' + md5hex(md5hex(password + user) + salt). The stored form is
 * 'md5' + md5hex(password + user), as in pg_authid.rolpassword.
 * https://www.postgresql.org/docs/current/auth-password.html
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Length of the salt in AuthenticationMD5Password. */
export const MD5_SALT_LENGTH = 4;
export const MD5_PREFIX = 'md5';
/** 'md5' followed by 32 lowercase hex digits: both the stored hash and the client's response. */
export const MD5_HASH_RE = /^md5[0-9a-f]{32}$/;

function md5Hex(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

export function md5Salt(): Buffer {
  return randomBytes(MD5_SALT_LENGTH);
}

/** The stored form of a password: 'md5' + md5hex(password + user). */
export function md5PasswordHash(password: string, user: string): string {
  return MD5_PREFIX + md5Hex(Buffer.from(password + user, 'utf8'));
}

/** The response a client computes for a stored hash and salt. */
export function md5Response(md5Hash: string, salt: Buffer): string {
  return MD5_PREFIX + md5Hex(Buffer.concat([Buffer.from(md5Hash.slice(MD5_PREFIX.length), 'ascii'), salt]));
}

/** Checks a PasswordMessage answer to an MD5 challenge in constant time (for equal lengths). */
export function checkMd5Response(
  response: string,
  user: string,
  salt: Buffer,
  secret: { password: string } | { md5Hash: string },
): boolean {
  const stored = 'password' in secret ? md5PasswordHash(secret.password, user) : secret.md5Hash;
  if (!MD5_HASH_RE.test(stored)) return false;
  const expected = Buffer.from(md5Response(stored, salt), 'ascii');
  const actual = Buffer.from(response, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
