/**
 * SQLSTATE codes the gateway emits.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
export const SqlState = {
  SuccessfulCompletion: '00000',
  Warning: '01000',
  ConnectionException: '08000',
  ConnectionDoesNotExist: '08003',
  SqlClientUnableToEstablishConnection: '08001',
  ConnectionFailure: '08006',
  ProtocolViolation: '08P01',
  FeatureNotSupported: '0A000',
  InvalidTransactionState: '25000',
  ActiveSqlTransaction: '25001',
  ReadOnlySqlTransaction: '25006',
  InFailedSqlTransaction: '25P02',
  NoActiveSqlTransaction: '25P01',
  InvalidAuthorizationSpecification: '28000',
  InvalidCatalogName: '3D000',
  InvalidPassword: '28P01',
  InvalidCursorState: '24000',
  InvalidCursorName: '34000',
  InvalidSavepointSpecification: '3B001',
  InvalidSqlStatementName: '26000',
  DuplicateCursor: '42P03',
  DuplicatePreparedStatement: '42P05',
  SyntaxError: '42601',
  InsufficientPrivilege: '42501',
  UndefinedTable: '42P01',
  UndefinedColumn: '42703',
  UndefinedFunction: '42883',
  UndefinedObject: '42704',
  AmbiguousColumn: '42702',
  InvalidColumnReference: '42P10',
  DatatypeMismatch: '42804',
  DuplicateTable: '42P07',
  DuplicateColumn: '42701',
  NotNullViolation: '23502',
  BadCopyFileFormat: '22P04',
  CannotCoerce: '42846',
  GroupingError: '42803',
  InvalidParameterValue: '22023',
  InvalidTextRepresentation: '22P02',
  InvalidBinaryRepresentation: '22P03',
  NumericValueOutOfRange: '22003',
  InvalidRowCountInLimitClause: '2201W',
  DivisionByZero: '22012',
  DataException: '22000',
  SubstringError: '22011',
  CharacterNotInRepertoire: '22021',
  InvalidDatetimeFormat: '22007',
  DatetimeFieldOverflow: '22008',
  InvalidTimeZoneDisplacementValue: '22009',
  InvalidParameterType: '42P18',
  UndefinedParameter: '42P02',
  CantChangeRuntimeParam: '55P02',
  ObjectNotInPrerequisiteState: '55000',
  QueryCanceled: '57014',
  AdminShutdown: '57P01',
  IdleSessionTimeout: '57P05',
  IdleInTransactionSessionTimeout: '25P03',
  CannotConnectNow: '57P03',
  TooManyConnections: '53300',
  ProgramLimitExceeded: '54000',
  OutOfMemory: '53200',
  ConfigurationLimitExceeded: '53400',
  InternalError: 'XX000',
} as const;

export type SqlStateCode = (typeof SqlState)[keyof typeof SqlState];

/** Any five-character SQLSTATE: relayed as it is when it comes from PostgreSQL (the catalog's PGlite). */
const SQLSTATE_SHAPE = /^[0-9A-Z]{5}$/;

/** A SQLSTATE received from another PostgreSQL-speaking server, or XX000 when it is not one. */
export function relayedSqlState(code: string | undefined): SqlStateCode {
  return code !== undefined && SQLSTATE_SHAPE.test(code) ? (code as SqlStateCode) : SqlState.InternalError;
}
