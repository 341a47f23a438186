/**
 * Transport failures (connect, socket, timeouts, aborts) -> PgError.
 * Messages name the backend host and port only: never URLs with credentials or headers.
 * SQLSTATEs: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
import { PgError } from './pg-error.js';
import { SqlState } from './sqlstate.js';

export { pgErrorFromDruid, withInternalQuery } from './druid.js';

export interface TransportErrorContext {
  /** "host:port" of the backend, for connection messages. */
  target?: string;
}

/** The message PostgreSQL sends for a query cancelled by CancelRequest. */
export const USER_CANCEL_MESSAGE = 'canceling statement due to user request';

/** Errors raised before a TCP/TLS connection exists. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
]);

/** Errors of an established connection that broke. */
const BROKEN_CONNECTION_CODES = new Set([
  'UND_ERR_SOCKET',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/**
 * Maps an error thrown by the HTTP client. Choices:
 * - connection not established (refused, DNS, connect timeout, TLS) -> 08001;
 * - connection broken (reset, closed mid-response) -> 08006;
 * - headers timeout (no response in time) -> 57014, as a statement timeout would be;
 * - body timeout (the result stalled mid-stream) -> 08006, as any broken result stream;
 * - abort (AbortError / undici RequestAbortedError) -> 57014 "canceling statement due to user request";
 * - a PgError (e.g. an AbortSignal reason set by the session) -> unchanged.
 */
export function pgErrorFromTransport(err: unknown, context: TransportErrorContext = {}): PgError {
  if (err instanceof PgError) return err;
  const code = errorCode(err);
  const where = context.target === undefined ? 'the backend' : `the backend at ${context.target}`;
  const fields = { cause: err, detail: code === undefined ? describe(err) : `${code}: ${describe(err)}` };
  if (isAbort(err, code)) return new PgError(SqlState.QueryCanceled, USER_CANCEL_MESSAGE, { cause: err });
  if (code !== undefined && CONNECT_CODES.has(code)) {
    return new PgError(SqlState.SqlClientUnableToEstablishConnection, `could not connect to ${where}`, fields);
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new PgError(SqlState.QueryCanceled, `canceling statement: no response from ${where} within the headers timeout`, fields);
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return new PgError(SqlState.ConnectionFailure, `${where} stopped sending the result (body timeout)`, fields);
  }
  if (code !== undefined && BROKEN_CONNECTION_CODES.has(code)) {
    return new PgError(SqlState.ConnectionFailure, `connection to ${where} failed`, fields);
  }
  return new PgError(SqlState.InternalError, `request to ${where} failed`, fields);
}

function isAbort(err: unknown, code: string | undefined): boolean {
  return code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR' || (err instanceof Error && err.name === 'AbortError');
}

/** The error's code, looking into AggregateError (Happy Eyeballs connects) and `cause`. */
function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const own = (err as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  if (err instanceof AggregateError) {
    for (const inner of err.errors) {
      const c = errorCode(inner);
      if (c !== undefined) return c;
    }
  }
  const cause = (err as { cause?: unknown }).cause;
  return cause === err ? undefined : errorCode(cause);
}

function describe(err: unknown): string {
  if (err instanceof AggregateError && err.message === '') return err.errors.map(describe).join('; ');
  return err instanceof Error ? err.message : String(err);
}
