/**
 * Client-credentials access tokens (RFC 6749 §4.4: https://www.rfc-editor.org/rfc/rfc6749). Tokens
 * are JWTs signed with HMAC-SHA256 (RFC 7519, https://www.rfc-editor.org/rfc/rfc7519) under a key
 * kept in the state directory, so they stay valid across a restart and look like Polaris' tokens
 * (three base64url segments, which the gateway's passthrough sends as Bearer).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ClientCredential } from './options.js';

export type TokenCheck = 'valid' | 'expired' | 'invalid';

export interface TokenIssuer {
  /** An access token for the client, or undefined for an unknown or revoked client or a wrong secret. */
  issue(clientId: string, clientSecret: string): { token: string; expiresInS: number } | undefined;
  check(token: string): TokenCheck;
  /** Refuses the client's token requests and the tokens it already has (test-only, docs/polaris-local.md). */
  revoke(clientId: string): void;
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
export const TOKEN_KEY_BYTES = 32;

export function newTokenKey(): Buffer {
  return randomBytes(TOKEN_KEY_BYTES);
}

export function createTokenIssuer(key: Buffer, clients: readonly ClientCredential[], ttlS: number, now: () => number = Date.now): TokenIssuer {
  const revoked = new Set<string>();
  const sign = (data: string): string => createHmac('sha256', key).update(data).digest('base64url');
  return {
    issue(clientId, clientSecret) {
      const client = clients.find((c) => c.id === clientId);
      if (client === undefined || revoked.has(clientId) || !sameText(client.secret, clientSecret)) return undefined;
      const iat = Math.floor(now() / 1000);
      const payload = base64url(JSON.stringify({ sub: clientId, azp: clientId, iat, exp: iat + ttlS, jti: randomUUID() }));
      return { token: `${HEADER}.${payload}.${sign(`${HEADER}.${payload}`)}`, expiresInS: ttlS };
    },
    check(token) {
      const [header, payload, signature, ...rest] = token.split('.');
      if (header !== HEADER || payload === undefined || signature === undefined || rest.length > 0) return 'invalid';
      if (!sameText(sign(`${header}.${payload}`), signature)) return 'invalid';
      const claims = parseClaims(payload);
      if (claims === undefined || revoked.has(claims.sub)) return 'invalid';
      return now() / 1000 >= claims.exp ? 'expired' : 'valid';
    },
    revoke(clientId) {
      revoked.add(clientId);
    },
  };
}

function parseClaims(payload: string): { sub: string; exp: number } | undefined {
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown };
    return typeof claims.sub === 'string' && typeof claims.exp === 'number' ? { sub: claims.sub, exp: claims.exp } : undefined;
  } catch {
    return undefined;
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
