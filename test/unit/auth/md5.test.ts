import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkMd5Response, md5PasswordHash, md5Response, md5Salt } from '../../../src/auth/md5.js';

const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');
const SALT = Buffer.from([1, 2, 3, 4]);
// PostgreSQL 15: SET password_encryption = 'md5'; CREATE ROLE "user" PASSWORD 'pencil'.
const PG_HASH = 'md520c46e3762c864548e296b33c3406aa9';

describe('md5 authentication', () => {
  it('stores md5(password + user) like PostgreSQL', () => {
    expect(md5PasswordHash('pencil', 'user')).toBe(PG_HASH);
  });

  it('computes the response the client sends', () => {
    expect(md5Response(PG_HASH, SALT)).toBe('md54376eb6913b38f9aaff38dc7cf19ca76');
    const independent = 'md5' + md5(Buffer.concat([Buffer.from(md5('penciluser')), SALT]));
    expect(md5Response(PG_HASH, SALT)).toBe(independent);
  });

  it('accepts the right response for a password or a stored hash', () => {
    const response = 'md54376eb6913b38f9aaff38dc7cf19ca76';
    expect(checkMd5Response(response, 'user', SALT, { password: 'pencil' })).toBe(true);
    expect(checkMd5Response(response, 'user', SALT, { md5Hash: PG_HASH })).toBe(true);
  });

  it('rejects wrong responses', () => {
    const response = 'md54376eb6913b38f9aaff38dc7cf19ca76';
    expect(checkMd5Response(response, 'user', SALT, { password: 'pencil2' })).toBe(false);
    expect(checkMd5Response(response, 'other', SALT, { password: 'pencil' })).toBe(false);
    expect(checkMd5Response(response, 'user', Buffer.from([1, 2, 3, 5]), { md5Hash: PG_HASH })).toBe(false);
    expect(checkMd5Response(response.slice(0, -1), 'user', SALT, { md5Hash: PG_HASH })).toBe(false);
    expect(checkMd5Response('pencil', 'user', SALT, { md5Hash: PG_HASH })).toBe(false);
    expect(checkMd5Response(response, 'user', SALT, { md5Hash: 'not-a-hash' })).toBe(false);
  });

  it('makes 4-byte random salts', () => {
    const a = md5Salt();
    expect(a).toHaveLength(4);
    expect([md5Salt(), md5Salt(), md5Salt()].some((s) => !s.equals(a))).toBe(true);
  });
});
