import type { ResultType } from '../types/result-type.js';
import type { SchemaSnapshot } from '../schema/snapshot.js';

/** Where a statement runs. */
export type StatementRoute =
  /** Answered by the gateway itself: SET, SHOW, BEGIN, DECLARE/FETCH/CLOSE, DISCARD, ... */
  | 'utility'
  /** Only pg_catalog / information_schema relations or catalog functions: answered by PGlite. */
  | 'catalog'
  /** Reads user tables: translated to Druid SQL. */
  | 'data'
  /** Writes a user table (INSERT, COPY FROM, CREATE TABLE [AS], UPDATE, DROP, ...): docs/writes.md. */
  | 'write'
  /** Empty (only ';' or comments): EmptyQueryResponse. */
  | 'empty';

/** One statement of a client's query string. */
export interface ParsedStatement {
  route: StatementRoute;
  /**
   * The libpg-query node of the statement (RawStmt.stmt), e.g. { SelectStmt: {...} }. parseSql
   * rewrites every `location` in it from a UTF-8 byte offset to a 0-based UTF-16 offset into the
   * full query string, so `text[location - offset]` is the node's first character.
   */
  ast: Record<string, unknown>;
  /** The statement's own text, sliced from the query string. */
  text: string;
  /** 0-based offset of `text` in the full query string (for error positions). */
  offset: number;
  /** Number of characters (code points) of the full query string before `offset`. */
  charsBefore: number;
  /** The statement node's type name, e.g. 'SelectStmt', 'VariableSetStmt'. */
  nodeType: string;
}

export interface TranslateContext {
  schema: SchemaSnapshot;
  /** PostgreSQL parameter type OIDs from Parse (0 = unspecified), indexed by $n - 1. */
  paramTypes: readonly number[];
  /** Session settings (lower-case GUC name -> value): timezone, polaris.approximate, ... */
  settings: ReadonlyMap<string, string>;
  /** The schema the catalog shows the Druid tables in (--schema-name); accepted as a qualifier besides public and druid. */
  schemaName?: string;
}

/** A reference from a Druid `?` placeholder to the client's `$n` parameter. */
export interface ParameterSlot {
  /** 1-based PostgreSQL parameter number ($n). */
  pgIndex: number;
  /** Avatica type name for Druid's parameters array: VARCHAR, BIGINT, DOUBLE, TIMESTAMP, ... */
  druidType: string;
  /**
   * The `?` stands for a timestamp compared as epoch milliseconds (src/sql/translate/instants.ts):
   * bind the instant as a BIGINT.
   */
  epochMillis?: boolean;
  /** A LIMIT or OFFSET count: Druid cannot plan one bound to NULL, so Describe's probe binds 0. */
  rowCount?: true;
}

/**
 * ORDER BY [LIMIT/OFFSET] that the gateway evaluates, for queries Druid cannot order itself (scans
 * ordered by a non-time column). Sort keys may refer to hidden trailing columns that are dropped
 * from the output.
 */
export interface GatewaySort {
  /** 0-based result column, direction and PostgreSQL NULL placement. */
  /** `quotient`: the column is `sum/count` text of an average of integers, compared exactly. */
  keys: Array<{ column: number; descending: boolean; nullsFirst: boolean; quotient?: true }>;
  limit: number | null;
  offset: number;
  /** Trailing result columns that exist only as sort keys. */
  hiddenColumns: number;
}

/**
 * UNION, INTERSECT or EXCEPT [ALL] of the outermost query that the gateway computes
 * (src/exec/set-operation.ts): `sql` is the left branch, `right` the right one with its own
 * parameter slots; any ORDER BY/LIMIT/OFFSET is a GatewaySort over the combined rows.
 */
export interface SetOperation {
  op: 'UNION' | 'INTERSECT' | 'EXCEPT';
  all: boolean;
  right: { sql: string; slots: ParameterSlot[] };
}

/**
 * How a result column is reported when Druid returns it as epoch milliseconds: PostgreSQL
 * timestamptz, timestamp (a `::timestamp` value: the session-zone wall clock), or null for a
 * column reported as Druid types it.
 */
export type TimestampOutput = 'timestamptz' | 'timestamp' | null;

export type { ResultType };

export interface Translation {
  /** Druid SQL, with `?` for parameters. */
  sql: string;
  /** One entry per `?`, in order (a repeated $n appears several times). */
  slots: ParameterSlot[];
  /** PostgreSQL type OID of each $n, as given in Parse or inferred; indexed by $n - 1. */
  paramTypes: number[];
  /**
   * Set when Druid cannot evaluate the ORDER BY (a scan ordered by a non-time column): `sql` then
   * has no ORDER BY/LIMIT/OFFSET and the gateway sorts (src/exec/sort/sorted-stream.ts).
   */
  gatewaySort?: GatewaySort;
  /**
   * Set for grouping sets that include the empty set: Druid SQL (with its own parameter slots)
   * giving PostgreSQL's grand-total row when the input is empty, and no row otherwise. The
   * session runs it when `sql` returns no rows (Druid returns none for an empty input).
   */
  emptyTotal?: { sql: string; slots: ParameterSlot[] };
  /** Set when the outermost query is a set operation the gateway computes. */
  setOperation?: SetOperation;
  /**
   * PostgreSQL's output column names, present only when they differ from the Druid result's
   * column names (Druid rejects equal names of different types, so those are aliased apart).
   * The session should name RowDescription fields with these.
   */
  columnNames?: string[];
  /**
   * Present when some result columns are timestamps sent as TIMESTAMP_TO_MILLIS(...): one entry
   * per visible result column (src/sql/translate/timestamp-output.ts).
   */
  timestampOutputs?: TimestampOutput[];
  /** Present when some result column is reported as another type than Druid's (ResultType). */
  resultTypes?: Array<ResultType | null>;
}

export interface TranslateOptions {
  /** Produce a LIMIT 0 form of the query, used by Describe to learn the result columns. */
  limitZero?: boolean;
}
