/**
 * Authentication failures. PostgreSQL reports every authentication failure as FATAL and uses one
 * message for a wrong password and an unknown user, so the reply does not reveal which it was.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html (class 28, 08P01)
 */
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';

/** 28P01 `password authentication failed for user "<user>"`. */
export function authFailed(user: string): PgError {
  return new PgError(SqlState.InvalidPassword, `password authentication failed for user "${user}"`, {
    severity: 'FATAL',
  });
}

/** 08P01 `malformed SCRAM message` with the defect as detail. */
export function malformed(detail: string): PgError {
  return new PgError(SqlState.ProtocolViolation, 'malformed SCRAM message', { severity: 'FATAL', detail });
}
