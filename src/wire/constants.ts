/**
 * Protocol numbers of the PostgreSQL frontend/backend protocol, version 3.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

/** Protocol major version the gateway speaks. */
export const PROTOCOL_MAJOR_VERSION = 3;
/** Newest protocol minor version defined by PostgreSQL (3.2, PostgreSQL 18). */
export const PROTOCOL_LATEST_MINOR_VERSION = 2;
/** StartupMessage version field for 3.0: major in the high 16 bits, minor in the low 16 bits. */
export const PROTOCOL_VERSION_3_0 = 196608;
/** StartupMessage version field for 3.2. */
export const PROTOCOL_VERSION_3_2 = 196610;

/**
 * Request codes sent in place of a protocol version in untyped startup-phase packets
 * (major 1234, minor 5678/5679/5680).
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */
export const StartupCode = {
  CancelRequest: 80877102,
  SSLRequest: 80877103,
  GSSENCRequest: 80877104,
} as const;

/** Type bytes of frontend (client -> server) messages. */
export const FrontendCode = {
  Bind: 0x42, // 'B'
  Close: 0x43, // 'C'
  CopyData: 0x64, // 'd'
  CopyDone: 0x63, // 'c'
  CopyFail: 0x66, // 'f'
  Describe: 0x44, // 'D'
  Execute: 0x45, // 'E'
  Flush: 0x48, // 'H'
  FunctionCall: 0x46, // 'F'
  Parse: 0x50, // 'P'
  /** PasswordMessage, GSSResponse, SASLInitialResponse and SASLResponse. */
  Password: 0x70, // 'p'
  Query: 0x51, // 'Q'
  Sync: 0x53, // 'S'
  Terminate: 0x58, // 'X'
} as const;

/** Type bytes of backend (server -> client) messages. */
export const BackendCode = {
  Authentication: 0x52, // 'R'
  BackendKeyData: 0x4b, // 'K'
  BindComplete: 0x32, // '2'
  CloseComplete: 0x33, // '3'
  CommandComplete: 0x43, // 'C'
  CopyBothResponse: 0x57, // 'W'
  CopyData: 0x64, // 'd'
  CopyDone: 0x63, // 'c'
  CopyInResponse: 0x47, // 'G'
  CopyOutResponse: 0x48, // 'H'
  DataRow: 0x44, // 'D'
  EmptyQueryResponse: 0x49, // 'I'
  ErrorResponse: 0x45, // 'E'
  FunctionCallResponse: 0x56, // 'V'
  NegotiateProtocolVersion: 0x76, // 'v'
  NoData: 0x6e, // 'n'
  NoticeResponse: 0x4e, // 'N'
  NotificationResponse: 0x41, // 'A'
  ParameterDescription: 0x74, // 't'
  ParameterStatus: 0x53, // 'S'
  ParseComplete: 0x31, // '1'
  PortalSuspended: 0x73, // 's'
  ReadyForQuery: 0x5a, // 'Z'
  RowDescription: 0x54, // 'T'
} as const;

/** Int32 request code carried by the Authentication ('R') message. */
export const AuthCode = {
  Ok: 0,
  KerberosV5: 2,
  CleartextPassword: 3,
  MD5Password: 5,
  GSS: 7,
  GSSContinue: 8,
  SSPI: 9,
  SASL: 10,
  SASLContinue: 11,
  SASLFinal: 12,
} as const;

/** Format codes of Bind, RowDescription and CopyOutResponse. */
export const Format = {
  Text: 0,
  Binary: 1,
} as const;

/** Field type bytes of ErrorResponse and NoticeResponse.
 * https://www.postgresql.org/docs/current/protocol-error-fields.html */
export const ErrorFieldCode = {
  Severity: 0x53, // 'S' (localized)
  SeverityNonLocalized: 0x56, // 'V'
  Code: 0x43, // 'C'
  Message: 0x4d, // 'M'
  Detail: 0x44, // 'D'
  Hint: 0x48, // 'H'
  Position: 0x50, // 'P'
  InternalPosition: 0x70, // 'p'
  InternalQuery: 0x71, // 'q'
  Where: 0x57, // 'W'
  Schema: 0x73, // 's'
  Table: 0x74, // 't'
  Column: 0x63, // 'c'
  DataType: 0x64, // 'd'
  Constraint: 0x6e, // 'n'
  File: 0x46, // 'F'
  Line: 0x4c, // 'L'
  Routine: 0x52, // 'R'
} as const;

/** Describe/Close target byte: prepared statement or portal. */
export const TargetCode = {
  Statement: 0x53, // 'S'
  Portal: 0x50, // 'P'
} as const;

/** Default upper bound of a typed message's length field; configurable per decoder. */
export const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;
/**
 * Largest password, SASLInitialResponse or SASLResponse message PostgreSQL reads before login
 * (PG_MAX_AUTH_TOKEN_LENGTH, src/include/libpq/auth.h).
 */
export const MAX_AUTH_MESSAGE_SIZE = 65535;
/** Longest startup-phase packet PostgreSQL accepts (MAX_STARTUP_PACKET_LENGTH). */
export const MAX_STARTUP_PACKET_SIZE = 10000;
/** Bytes of a typed message header: type byte + int32 length. */
export const TYPED_HEADER_SIZE = 5;
/** Bytes of an untyped startup-phase header: int32 length. */
export const STARTUP_HEADER_SIZE = 4;
/** Shortest cancel key: 4 bytes (3.0). */
export const MIN_CANCEL_KEY_LENGTH = 4;
/** Longest cancel key allowed by protocol 3.2. */
export const MAX_CANCEL_KEY_LENGTH = 256;
/** Wire length of a NULL value in DataRow and Bind. */
export const NULL_LENGTH = -1;
