import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { DataExecutor } from '../exec/data.js';
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

  /** Runs the statement; the ResultSet streams its rows. */
  async query(params: readonly Param[] = []): Promise<ResultSet> {
    const gucs = this.ctx.gucs;
    const bound = druidParameters(params, this.translation.paramTypes.length, this.translation.slots, gucs.get('timezone') ?? 'UTC');
    const active = await this.ctx.executor.open(this.translation, bound);
    // statement_timeout counts from the start of the query until its rows are read or closed;
    // Druid also gets it as the query context's timeout (src/exec/data.ts).
    const ms = parseMilliseconds('statement_timeout', gucs.get('statement_timeout') ?? '0');
    const timer = ms > 0 ? setTimeout(() => active.abort('timeout'), ms) : null;
    timer?.unref();
    return new ResultSet(active, outputContextOf(gucs), timer);
  }
}

/** 42601 for a string with several statements, as PostgreSQL's extended protocol. */
export function singleStatement(statements: readonly ParsedStatement[]): ParsedStatement {
  const [first] = statements;
  if (statements.length > 1) throw new PgError(SqlState.SyntaxError, 'cannot insert multiple commands into a prepared statement');
  if (first === undefined || first.route === 'empty') throw new PgError(SqlState.SyntaxError, 'empty query');
  return first;
}
