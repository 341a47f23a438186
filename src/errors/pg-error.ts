import { SqlState, type SqlStateCode } from './sqlstate.js';

/** Severity as sent in the ErrorResponse 'S' and 'V' fields. */
export type Severity = 'ERROR' | 'FATAL' | 'PANIC' | 'WARNING' | 'NOTICE' | 'DEBUG' | 'INFO' | 'LOG';

export interface PgErrorFields {
  severity?: Severity;
  detail?: string;
  hint?: string;
  /** 1-based character position in the client's statement text ('P'). */
  position?: number;
  internalPosition?: number;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
  cause?: unknown;
}

/**
 * The one error type of the gateway. Every layer throws it or has its errors mapped to it
 * (see ./map.ts). Fields follow ErrorResponse:
 * https://www.postgresql.org/docs/current/protocol-error-fields.html
 */
export class PgError extends Error {
  readonly code: SqlStateCode;
  readonly severity: Severity;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  position: number | undefined;
  readonly internalPosition: number | undefined;
  readonly internalQuery: string | undefined;
  readonly where: string | undefined;
  readonly schema: string | undefined;
  readonly table: string | undefined;
  readonly column: string | undefined;
  readonly dataType: string | undefined;
  readonly constraint: string | undefined;

  constructor(code: SqlStateCode, message: string, fields: PgErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = 'PgError';
    this.code = code;
    this.severity = fields.severity ?? 'ERROR';
    this.detail = fields.detail;
    this.hint = fields.hint;
    this.position = fields.position;
    this.internalPosition = fields.internalPosition;
    this.internalQuery = fields.internalQuery;
    this.where = fields.where;
    this.schema = fields.schema;
    this.table = fields.table;
    this.column = fields.column;
    this.dataType = fields.dataType;
    this.constraint = fields.constraint;
  }

  /** True when the connection cannot continue after this error. */
  get isFatal(): boolean {
    return this.severity === 'FATAL' || this.severity === 'PANIC';
  }
}

/** A statement or construct the gateway cannot run faithfully: 0A000 with a hint naming it. */
export function unsupported(construct: string, hint?: string, position?: number): PgError {
  return new PgError(SqlState.FeatureNotSupported, `${construct} is not supported by polaris-pg`, {
    hint: hint ?? `Rewrite the query without ${construct}.`,
    ...(position === undefined ? {} : { position }),
  });
}

export function protocolViolation(message: string): PgError {
  return new PgError(SqlState.ProtocolViolation, message, { severity: 'FATAL' });
}
