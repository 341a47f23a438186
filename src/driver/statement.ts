import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { cancelError, type AbortReason, type ActiveQuery, type DataExecutor } from '../exec/data.js';
import { parseMilliseconds } from '../exec/guc-defs.js';
import type { GucStore } from '../exec/gucs.js';
import { outputContextOf } from '../exec/output-context.js';
import type { ParsedStatement, Translation } from '../sql/types.js';
import { pgTypeByOid } from '../types/druid-to-pg.js';
import { columnInfos, type ColumnInfo } from './columns.js';
import { druidParameters, type Param } from './params.js';
import { ResultSet } from './result-set.js';

/** What a statement runs with: its connection's settings and executor. */
export interface StatementContext {
  readonly gucs: GucStore;
  readonly executor: DataExecutor;
}

export interface ParameterInfo {
  /** 1-based, as `$n`. */
  index: number;
  typeOid: number;
  /** PostgreSQL type name the statement infers for `$n` (text when nothing constrains it). */
  pgType: string;
}

/** A statement's parameters and result columns (JDBC getParameterMetaData / getMetaData). */
export interface StatementDescription {
  parameters: ParameterInfo[];
  columns: ColumnInfo[];
}

/**
 * A translated data statement (JDBC PreparedStatement): parsed and translated to Druid SQL once,
 * run with `$n` parameters as often as needed. Translation happens with the settings current at
 * prepare(), as a PostgreSQL prepared statement's plan.
 */
export class PreparedStatement {
  private described: ColumnInfo[] | null = null;
  /** Stops the query this statement is starting or last started. */
  private stopCurrent: ((reason: AbortReason) => void) | null = null;

  constructor(
    private readonly ctx: StatementContext,
    private readonly stmt: ParsedStatement,
    private readonly translation: Translation,
  ) {}

  get sql(): string {
    return this.stmt.text;
  }

  /** Parameter and column metadata without running the query (a LIMIT 0 probe on the backend). */
  async describe(): Promise<StatementDescription> {
    this.described ??= columnInfos(await this.ctx.executor.describe(this.stmt, this.translation.paramTypes));
    const parameters = this.translation.paramTypes.map((oid, i) => ({ index: i + 1, typeOid: oid, pgType: pgTypeByOid(oid)?.name ?? String(oid) }));
    return { parameters, columns: this.described };
  }

  /**
   * Runs the statement; the ResultSet streams its rows. statement_timeout counts from here until
   * the rows are read or closed, also while the query starts (an asynchronous Polaris statement
   * starts until it has succeeded); Druid also gets it as the query context's timeout.
   */
  async query(params: readonly Param[] = []): Promise<ResultSet> {
    const gucs = this.ctx.gucs;
    const bound = druidParameters(params, this.translation.paramTypes.length, this.translation.slots, gucs.get('timezone') ?? 'UTC');
    const controller = new AbortController();
    let stopped: AbortReason | null = null;
    let active: ActiveQuery | null = null;
    const stop = (reason: AbortReason): void => {
      stopped ??= reason;
      if (active === null) controller.abort(cancelError(reason));
      else active.abort(reason);
    };
    this.stopCurrent = stop;
    const ms = parseMilliseconds('statement_timeout', gucs.get('statement_timeout') ?? '0');
    const timer = ms > 0 ? setTimeout(() => stop('timeout'), ms) : null;
    timer?.unref();
    try {
      active = await this.ctx.executor.open(this.translation, bound, { controller });
    } catch (err) {
      if (timer !== null) clearTimeout(timer);
      throw stopped === null ? err : cancelError(stopped);
    }
    if (stopped !== null) {
      // Stopped while starting: the opened query is stopped too (HTTP abort, DELETE).
      active.abort(stopped);
      await active.source.close();
      if (timer !== null) clearTimeout(timer);
      throw cancelError(stopped);
    }
    return new ResultSet(active, outputContextOf(gucs), timer);
  }

  /**
   * Stops the query this statement is starting or reading (JDBC Statement.cancel): query() or the
   * read fails with 57014, and the backend query is stopped (Druid DELETE, Polaris statement DELETE).
   */
  cancel(): void {
    this.stopCurrent?.('cancel');
  }
}

/** 42601 for a string with several statements, as PostgreSQL's extended protocol. */
export function singleStatement(statements: readonly ParsedStatement[]): ParsedStatement {
  const [first] = statements;
  if (statements.length > 1) throw new PgError(SqlState.SyntaxError, 'cannot insert multiple commands into a prepared statement');
  if (first === undefined || first.route === 'empty') throw new PgError(SqlState.SyntaxError, 'empty query');
  return first;
}
