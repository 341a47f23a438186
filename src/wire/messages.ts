/**
 * Frontend (client -> server) messages, decoded.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

/** Format codes used in Bind and RowDescription: 0 = text, 1 = binary. */
export type FormatCode = 0 | 1;

export interface StartupMessage {
  type: 'Startup';
  /** Major version in the high 16 bits, minor in the low 16 bits (3.0 = 196608). */
  majorVersion: number;
  minorVersion: number;
  /** Every parameter the client sent, in order (user, database, options, application_name, _pq_.*, ...). */
  parameters: Map<string, string>;
}
export interface SSLRequest { type: 'SSLRequest' }
export interface GSSENCRequest { type: 'GSSENCRequest' }
export interface CancelRequest {
  type: 'CancelRequest';
  processId: number;
  /** The secret key bytes (4 bytes in protocol 3.0, up to 256 in 3.2). */
  secretKey: Buffer;
}
/** 'p': PasswordMessage, SASLInitialResponse and SASLResponse share this type; meaning depends on auth state. */
export interface PasswordLike { type: 'Password'; payload: Buffer }
export interface Query { type: 'Query'; sql: string }
export interface Parse { type: 'Parse'; name: string; sql: string; paramTypes: number[] }
export interface Bind {
  type: 'Bind';
  portal: string;
  statement: string;
  /** As sent: empty (all text), one code for all parameters, or one per parameter. */
  paramFormats: FormatCode[];
  /** Raw parameter values; null is SQL NULL (length -1). */
  params: (Buffer | null)[];
  /** As sent: empty (all text), one code for all columns, or one per column. */
  resultFormats: FormatCode[];
}
export interface Describe { type: 'Describe'; target: 'S' | 'P'; name: string }
export interface Execute { type: 'Execute'; portal: string; /** 0 = no limit */ maxRows: number }
export interface Close { type: 'Close'; target: 'S' | 'P'; name: string }
export interface Flush { type: 'Flush' }
export interface Sync { type: 'Sync' }
export interface Terminate { type: 'Terminate' }
export interface CopyData { type: 'CopyData'; data: Buffer }
export interface CopyDone { type: 'CopyDone' }
export interface CopyFail { type: 'CopyFail'; message: string }
export interface FunctionCall { type: 'FunctionCall' }

export type StartupPhaseMessage = StartupMessage | SSLRequest | GSSENCRequest | CancelRequest;

export type FrontendMessage =
  | PasswordLike
  | Query
  | Parse
  | Bind
  | Describe
  | Execute
  | Close
  | Flush
  | Sync
  | Terminate
  | CopyData
  | CopyDone
  | CopyFail
  | FunctionCall;

/** A field of RowDescription. */
export interface FieldDescription {
  name: string;
  /** OID of the table, or 0. */
  tableOid: number;
  /** Attribute number of the column, or 0. */
  columnAttr: number;
  typeOid: number;
  /** pg_type.typlen; negative for variable width. */
  typeSize: number;
  typeModifier: number;
  format: FormatCode;
}

/** ErrorResponse / NoticeResponse fields by their one-byte code. */
export interface ErrorFields {
  severity: string;
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  position?: number;
  internalPosition?: number;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
  file?: string;
  line?: string;
  routine?: string;
}

/** ReadyForQuery transaction status: idle, in transaction block, failed transaction block. */
export type TransactionStatus = 'I' | 'T' | 'E';
