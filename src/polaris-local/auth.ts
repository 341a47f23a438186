/**
 * Who may call a project route (docs/polaris-local.md, "Authentication"): the API key as HTTP Basic,
 * raw (`Basic KEY`) or as the user name of an empty password (`Basic base64("KEY:")`), or an access
 * token from the token endpoint as `Bearer TOKEN`.
 */
import type { ServerResponse } from 'node:http';
import { INVALID_AUTHENTICATION, TOKEN_EXPIRED } from './errors.js';
import { sendJson } from './http-util.js';
import type { TokenIssuer } from './tokens.js';

export type AuthResult = { ok: true; via: 'apiKey' | 'bearer' } | { ok: false; body: unknown };

export function authenticate(header: string | undefined, apiKey: string, tokens: TokenIssuer): AuthResult {
  const m = /^(Basic|Bearer) +(\S+)$/i.exec(header?.trim() ?? '');
  if (m === null) return { ok: false, body: INVALID_AUTHENTICATION };
  const scheme = (m[1] ?? '').toLowerCase();
  const value = m[2] ?? '';
  if (scheme === 'basic') {
    if (value === apiKey || decodedKey(value) === apiKey) return { ok: true, via: 'apiKey' };
    return { ok: false, body: INVALID_AUTHENTICATION };
  }
  switch (tokens.check(value)) {
    case 'valid':
      return { ok: true, via: 'bearer' };
    case 'expired':
      return { ok: false, body: TOKEN_EXPIRED };
    case 'invalid':
      return { ok: false, body: INVALID_AUTHENTICATION };
  }
}

/** The user name of base64("user:password") when the password is empty. */
function decodedKey(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+=*$/.test(value)) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  return text.endsWith(':') ? text.slice(0, -1) : undefined;
}

export function sendUnauthorized(res: ServerResponse, body: unknown): void {
  sendJson(res, 401, body, { 'www-authenticate': 'Basic realm="polaris", Bearer' });
}
