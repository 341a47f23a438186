import type { DruidParameter } from '../schema/druid.js';
import type { ParsedStatement, Translation } from '../sql/types.js';
import type { ParamValue } from '../types/params.js';
import type { FormatCode } from '../wire/messages.js';
import type { CopyFormat } from './copy.js';
import type { ActiveQuery } from '../exec/data.js';
import type { ResultColumn } from '../exec/row-source.js';
import type { WritePlan } from './write/plan.js';

/**
 * What a session holds between messages: prepared statements and portals (one discriminated
 * union per route) and cursors. The routes in routes/ create and run them.
 */

/** How a statement reached the session: a simple Query, the extended protocol's Parse, or SQL PREPARE. */
export type Protocol = 'simple' | 'extended' | 'sql';

interface StatementBase {
  name: string;
  /** PostgreSQL type OID of each $n (0 = unspecified), indexed by n - 1. */
  paramTypes: number[];
}

/** An empty query string: EmptyQueryResponse. */
export interface EmptyStatement extends StatementBase {
  route: 'empty';
  stmt: null;
}

/** Answered by the gateway itself (SET, SHOW, BEGIN, DECLARE, FETCH, PREPARE, ...). */
export interface UtilityStatement extends StatementBase {
  route: 'utility';
  stmt: ParsedStatement;
}

/** Answered by the catalog engine (PGlite); its protocol replies are relayed as they are. */
export interface CatalogStatement extends StatementBase {
  route: 'catalog';
  stmt: ParsedStatement;
  /** Parsed in the catalog under this statement's name (extended protocol only). */
  inCatalog: boolean;
}

/** Translated to Druid SQL at parse time, so translation errors surface at Parse. */
export interface DataStatement extends StatementBase {
  route: 'data';
  stmt: ParsedStatement;
  translation: Translation;
  /** COPY ... TO STDOUT of the translated query, or null for a query that returns rows. */
  copy: CopyFormat | null;
  /** Result columns learned by Describe (cached). */
  columns: ResultColumn[] | null;
}

/** Writes a Druid table by ingestion (docs/writes.md); analysed at Parse, ingested at Execute. */
export interface WriteStatement extends StatementBase {
  route: 'write';
  stmt: ParsedStatement;
  /** The analysed statement; null for those refused at Execute. */
  plan: WritePlan | null;
}

export type PreparedStatement = EmptyStatement | UtilityStatement | CatalogStatement | DataStatement | WriteStatement;

export interface PortalBase {
  name: string;
  /** Bind's result formats; null in the simple protocol (text, with RowDescription sent by Execute). */
  formats: FormatCode[] | null;
  /** The portal ran to completion (or its statement ran). */
  done: boolean;
  /** Seconds spent in Execute so far, for the duration metric of a portal read in several Executes. */
  elapsed: number;
}

export interface EmptyPortal extends PortalBase {
  route: 'empty';
  statement: EmptyStatement;
}

export interface UtilityPortal extends PortalBase {
  route: 'utility';
  statement: UtilityStatement;
}

export interface CatalogPortal extends PortalBase {
  route: 'catalog';
  statement: CatalogStatement;
}

/** A data portal keeps its backend stream open between row-limited Executes. */
export interface DataPortal extends PortalBase {
  route: 'data';
  statement: DataStatement;
  parameters: DruidParameter[];
  query: ActiveQuery | null;
}

/** A write portal holds its decoded parameters. */
export interface WritePortal extends PortalBase {
  route: 'write';
  statement: WriteStatement;
  params: ParamValue[];
  /** Bound by a Bind message for an INSERT ... VALUES: its rows may be gathered until Sync (write/batch.ts). */
  gathered: boolean;
}

export type Portal = EmptyPortal | UtilityPortal | CatalogPortal | DataPortal | WritePortal;

export type StatementKind = PreparedStatement['route'];
export type StatementOf<K extends StatementKind> = Extract<PreparedStatement, { route: K }>;
export type PortalOf<K extends StatementKind> = Extract<Portal, { route: K }>;

/** Parse, PREPARE, or one statement of a simple Query. */
export interface ParseRequest {
  name: string;
  stmt: ParsedStatement | null;
  paramTypes: readonly number[];
  protocol: Protocol;
}

/** Bind, SQL EXECUTE, or the implicit bind of a simple Query statement. */
export interface BindRequest {
  portal: string;
  paramFormats: readonly FormatCode[];
  params: ReadonlyArray<Buffer | null>;
  /** null: the simple protocol (see PortalBase.formats). */
  resultFormats: FormatCode[] | null;
  /** Answer with BindComplete (or relay the catalog's answer): the extended protocol's Bind. */
  reply: boolean;
}

interface CursorBase {
  name: string;
  binary: boolean;
  hold: boolean;
  /** Declared inside the current transaction block (closed by its ROLLBACK, even WITH HOLD). */
  declaredInBlock: boolean;
  /** A FETCH or MOVE has moved the cursor off its start (before the first row). */
  moved?: boolean;
}

/** A data cursor reads from its open backend response as it is fetched; it never re-runs the query. */
export interface DataCursor extends CursorBase {
  kind: 'data';
  query: ActiveQuery;
}

/**
 * A cursor over a catalog query: the catalog result (small by nature) is read whole from the
 * shared catalog engine at DECLARE, since its portals cannot outlive one request there, and
 * FETCH hands out its DataRow frames as they are.
 */
export interface CatalogCursor extends CursorBase {
  kind: 'catalog';
  /** The RowDescription frame. */
  description: Buffer;
  rows: Buffer[];
  position: number;
}

export type Cursor = DataCursor | CatalogCursor;
