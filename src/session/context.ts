import type { CatalogReply, CatalogSession } from '../catalog/types.js';
import type { Severity } from '../errors/pg-error.js';
import type { DataExecutor } from '../exec/data.js';
import type { GucStore } from '../exec/gucs.js';
import type { Output } from './output.js';
import type { ResultColumn } from '../exec/row-source.js';
import type { QueryRunner } from './runner.js';
import type { BindRequest, Cursor, ParseRequest, PreparedStatement } from './state.js';
import type { TransactionState } from './transaction.js';
import type { CopyInbox } from './write/copy-inbox.js';
import type { WriteExecutor } from './write/executor.js';

/** Error already sent to the client by a relayed catalog reply. */
export class RelayedError extends Error {}

/** The session's prepared statements as SQL PREPARE, EXECUTE and DEALLOCATE see them. */
export interface PreparedStatements {
  /** Prepares and stores a statement; 42P05 when the name is taken. */
  prepare(request: ParseRequest): Promise<PreparedStatement>;
  /** The named statement, or 26000. */
  get(name: string): PreparedStatement;
  /** Binds a statement to a portal of its own and runs it to completion (SQL EXECUTE). */
  run(statement: PreparedStatement, request: BindRequest): Promise<void>;
  /** The columns a statement returns, or null when it returns no rows (Describe of EXECUTE). */
  resultColumns(statement: PreparedStatement): Promise<ResultColumn[] | null>;
  /** False when there is no such statement. */
  deallocate(name: string): Promise<boolean>;
  deallocateAll(): Promise<void>;
  /** Portals holding an open backend query (suspended, or described and not yet run). */
  openBackendQueries(): number;
}

/**
 * What a route may use of its session: output, transaction state, settings, the query runner
 * (streaming, cancel, timeout), catalog access, cursors and prepared statements.
 */
export interface SessionContext {
  readonly processId: number;
  readonly out: Output;
  readonly tx: TransactionState;
  readonly gucs: GucStore;
  readonly data: DataExecutor;
  readonly writes: WriteExecutor;
  readonly runner: QueryRunner;
  readonly cursors: Map<string, Cursor>;
  readonly statements: PreparedStatements;
  /** The session's catalog view, with the mirror refreshed when its snapshot is older than the TTL. */
  catalog(): Promise<CatalogSession>;
  /** Relays catalog reply bytes; a reply holding an ErrorResponse throws RelayedError. */
  relay(reply: CatalogReply): void;
  /** Runs an extended-protocol call in the catalog and relays its reply; Sync ends the catalog's batch. */
  catalogMessage(call: (catalog: CatalogSession) => Promise<CatalogReply>): Promise<void>;
  complete(tag: string): void;
  /** COPY FROM STDIN: starts taking the client's CopyData (write/copy-inbox.ts); closeCopyIn() ends it. */
  openCopyIn(): CopyInbox;
  closeCopyIn(): void;
  notice(code: string, message: string, severity?: Severity): void;
  /** COMMIT or ROLLBACK: closes the block's cursors and portals and ends its settings. */
  endTransaction(commit: boolean): Promise<void>;
  /** DISCARD ALL: cursors, portals, statements and the catalog session. */
  discardAll(): Promise<void>;
  /** DISCARD TEMP: drops the temp tables this session created in the catalog. */
  discardTemp(): Promise<void>;
}
