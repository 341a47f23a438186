/**
 * The client-credentials token endpoint, at Imply's path shape
 * /auth/realms/{org}/protocol/openid-connect/token (docs/polaris-local.md, "Authentication").
 * Form body grant_type=client_credentials, client_id, client_secret (or the client as HTTP Basic,
 * RFC 6749 §2.3.1); answers {access_token, token_type, expires_in} or an RFC 6749 §5.2 error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from './http-util.js';
import type { TokenIssuer } from './tokens.js';

export const TOKEN_PATH = /^\/auth\/realms\/[^/]+\/protocol\/openid-connect\/token$/;

export async function handleTokenRequest(req: IncomingMessage, res: ServerResponse, tokens: TokenIssuer): Promise<void> {
  const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
  if (form.get('grant_type') !== 'client_credentials') {
    sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported.' });
    return;
  }
  const basic = basicClient(req.headers.authorization);
  const clientId = form.get('client_id') ?? basic?.id ?? '';
  const clientSecret = form.get('client_secret') ?? basic?.secret ?? '';
  const issued = tokens.issue(clientId, clientSecret);
  if (issued === undefined) {
    sendJson(res, 401, { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' });
    return;
  }
  sendJson(res, 200, { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresInS, scope: '' }, { 'cache-control': 'no-store' });
}

function basicClient(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic +(\S+)$/i.exec(header ?? '');
  if (m === null) return undefined;
  const text = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { id: decodeURIComponent(text.slice(0, colon)), secret: decodeURIComponent(text.slice(colon + 1)) };
}
