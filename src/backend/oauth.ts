/**
 * OAuth 2.0 client-credentials access tokens for Polaris (docs/polaris.md, "OAuth").
 * POST the token URL with a form body client_id, client_secret, grant_type=client_credentials and
 * read access_token and expires_in (RFC 6749 §4.4, §5.1: https://www.rfc-editor.org/rfc/rfc6749).
 * A token is reused until REFRESH_FRACTION of its lifetime has passed; concurrent callers share one
 * token request. Tokens and the secret never appear in errors or logs.
 */
import { request as httpRequest, type Dispatcher } from 'undici';
import { pgErrorFromTransport } from '../errors/map.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { SIDE_REQUEST_TIMEOUT_MS } from './http.js';
import { parseBaseUrl, targetOf } from './sql-http.js';

/** A token is refreshed once this fraction of its lifetime has passed. */
export const REFRESH_FRACTION = 0.8;
/** Lifetime assumed when the token response has no expires_in: Polaris tokens last five minutes. */
export const DEFAULT_EXPIRES_IN_S = 300;

export interface TokenSourceOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  dispatcher?: Dispatcher;
  /** Clock in ms since the epoch (tests). */
  now?: () => number;
}

export interface TokenSource {
  /** A current access token, requested when none is cached or the cached one is due for refresh. */
  token(): Promise<string>;
  /** Drops `token` if it is still the cached one (the backend said it expired). */
  expire(token: string): void;
  /** When the cached token expires (ms since the epoch); undefined before the first token. */
  readonly expiresAt: number | undefined;
}


interface Cached {
  token: string;
  refreshAt: number;
  expiresAt: number;
}

export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const now = options.now ?? Date.now;
  const target = targetOf(parseBaseUrl(options.tokenUrl));
  let cached: Cached | undefined;
  let pending: Promise<string> | undefined;
  const fetchToken = async (): Promise<string> => {
    const issuedAt = now();
    const { token, expiresInS } = await requestToken(options, target);
    cached = { token, refreshAt: issuedAt + expiresInS * 1000 * REFRESH_FRACTION, expiresAt: issuedAt + expiresInS * 1000 };
    return token;
  };
  return {
    token(): Promise<string> {
      if (cached !== undefined && now() < cached.refreshAt) return Promise.resolve(cached.token);
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    expire(token: string): void {
      if (cached?.token === token) cached = undefined;
    },
    get expiresAt(): number | undefined {
      return cached?.expiresAt;
    },
  };
}

async function requestToken(options: TokenSourceOptions, target: string): Promise<{ token: string; expiresInS: number }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret });
  let response: Dispatcher.ResponseData;
  let body: unknown;
  try {
    response = await httpRequest(options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
      signal: AbortSignal.timeout(SIDE_REQUEST_TIMEOUT_MS),
    });
    const text = await response.body.text();
    body = parseJson(text);
  } catch (err) {
    const mapped = pgErrorFromTransport(err, { target });
    throw new PgError(mapped.code, `could not get a Polaris access token: ${mapped.message}`, { ...(mapped.detail === undefined ? {} : { detail: mapped.detail }) });
  }
  const fields = isRecord(body) ? body : {};
  const token = fields.access_token;
  if (response.statusCode < 200 || response.statusCode >= 300 || typeof token !== 'string' || token === '') {
    // RFC 6749 §5.2: error and error_description.
    const reason = str(fields.error_description) ?? str(fields.error) ?? `HTTP ${response.statusCode}`;
    throw new PgError(SqlState.InvalidAuthorizationSpecification, `could not get a Polaris access token: ${reason}`, {
      detail: `The token endpoint at ${target} answered HTTP ${response.statusCode}.`,
      hint: 'Check --polaris-client-id, POLARIS_PG_POLARIS_CLIENT_SECRET and --polaris-token-url.',
    });
  }
  const expiresIn = Number(fields.expires_in);
  return { token, expiresInS: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN_S };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
