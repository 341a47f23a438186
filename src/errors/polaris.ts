/**
 * Imply Polaris HTTP error bodies -> PgError (docs/polaris.md, "Errors"). A failed query on
 * /query/sql answers with Druid's error JSON and keeps Druid's mapping (./druid.ts). Everything
 * else Polaris rejects (authentication, permissions, a wrong project, rate limits, maintenance)
 * answers with a platform error, either wrapped `{"error": {"code", "message"}}` or flat
 * `{"code", "message", ...}` (some bodies carry only `message`); those are mapped by HTTP status
 * through PLATFORM_ERRORS, keeping Polaris' message.
 * SQLSTATEs: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
import { fromStatus, pgErrorFromDruid } from './druid.js';
import { PgError } from './pg-error.js';
import { SqlState, type SqlStateCode } from './sqlstate.js';
import { isRecord, parseJsonObject, str } from './json-body.js';

interface PlatformRule {
  sqlState: SqlStateCode;
  hint?: string;
}

/** The one table of Polaris platform errors by HTTP status. */
export const PLATFORM_ERRORS: Readonly<Record<number, PlatformRule>> = {
  401: { sqlState: SqlState.InvalidAuthorizationSpecification },
  403: { sqlState: SqlState.InsufficientPrivilege, hint: 'The Polaris API key or OAuth client lacks a permission this statement needs (AccessQueries for SQL).' },
  // On the project-scoped routes the gateway calls, the project is the object not found.
  404: { sqlState: SqlState.InvalidCatalogName, hint: 'Check --project: it must be the ID (a UUID) of a project in this organization and region.' },
  429: { sqlState: SqlState.TooManyConnections, hint: 'Polaris is rate limiting this organization; retry later.' },
  503: { sqlState: SqlState.CannotConnectNow, hint: 'Polaris is temporarily unavailable, usually for scheduled maintenance; retry later.' },
};

/** Keys only Druid's query error bodies carry. */
const DRUID_KEYS = ['errorMessage', 'errorCode', 'category', 'persona', 'errorClass'] as const;

/** Polaris' message on a 401 for an expired OAuth access token contains this. */
const TOKEN_EXPIRED = /token expired/i;

interface PlatformError {
  code: string | undefined;
  message: string;
}

/** Maps a non-2xx response of a Polaris route (status and body text) to a PgError. */
export function pgErrorFromPolaris(status: number, body: string): PgError {
  const platform = readPlatformError(body);
  const rule = PLATFORM_ERRORS[status];
  if (platform === undefined) {
    if (rule === undefined || parseJsonObject(body) !== undefined) return pgErrorFromDruid(status, body);
    return new PgError(rule.sqlState, `Polaris returned HTTP ${status}`, {
      detail: 'The error response was not Polaris error JSON.',
      ...(rule.hint === undefined ? {} : { hint: rule.hint }),
    });
  }
  const sqlState = rule?.sqlState ?? fromStatus(status, platform.message);
  const detail = `Polaris error: ${platform.code === undefined ? '' : `code ${platform.code}, `}HTTP ${status}`;
  return new PgError(sqlState, platform.message, { detail, ...(rule?.hint === undefined ? {} : { hint: rule.hint }) });
}

/** True for the 401 Polaris sends when an OAuth access token has expired (a refresh may help). */
export function isPolarisTokenExpired(status: number, body: string): boolean {
  return status === 401 && TOKEN_EXPIRED.test(readPlatformError(body)?.message ?? '');
}

/** The code and message of a platform error body, or undefined for Druid's shape or non-JSON. */
function readPlatformError(body: string): PlatformError | undefined {
  const parsed = parseJsonObject(body);
  if (parsed === undefined) return undefined;
  const wrapped = parsed.error;
  if (isRecord(wrapped)) {
    const message = str(wrapped.message);
    return message === undefined ? undefined : { code: str(wrapped.code), message };
  }
  if (wrapped !== undefined || DRUID_KEYS.some((key) => key in parsed)) return undefined;
  const message = str(parsed.message);
  return message === undefined ? undefined : { code: str(parsed.code), message };
}
