import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import type { ParsedStatement } from '../../sql/types.js';
import type { FormatCode } from '../../wire/messages.js';
import type { SessionContext } from '../context.js';
import { fetchColumns, runClose, runDeclare, runFetch } from '../cursors.js';
import { executeColumns, runDeallocate, runExecute, runPrepare } from '../prepare.js';
import type { ResultColumn } from '../../exec/row-source.js';
import { runDiscard, runSet, runShow, runTransaction, showColumns } from '../utility.js';
import { bindStatement, type Route } from './route.js';

type Node = Record<string, unknown>;

/** Runs one utility statement; `formats` null: the simple protocol. */
async function run(ctx: SessionContext, stmt: ParsedStatement, formats: FormatCode[] | null): Promise<void> {
  const node = stmt.ast[stmt.nodeType] as Node;
  switch (stmt.nodeType) {
    case 'VariableSetStmt':
      runSet(ctx, node);
      return;
    case 'VariableShowStmt':
      runShow(ctx, node, formats);
      return;
    case 'TransactionStmt':
      await runTransaction(ctx, node);
      return;
    case 'DeclareCursorStmt':
      await runDeclare(ctx, stmt);
      return;
    case 'FetchStmt':
      await ctx.runner.withTimeout(() => runFetch(ctx, node, formats, formats === null));
      return;
    case 'ClosePortalStmt':
      await runClose(ctx, node);
      return;
    case 'DiscardStmt':
      await runDiscard(ctx, node);
      return;
    case 'PrepareStmt':
      await runPrepare(ctx, stmt);
      return;
    case 'ExecuteStmt':
      await runExecute(ctx, stmt, formats);
      return;
    case 'DeallocateStmt':
      await runDeallocate(ctx, stmt);
      return;
    case 'ListenStmt':
      ctx.complete('LISTEN');
      return;
    case 'UnlistenStmt':
      ctx.complete('UNLISTEN');
      return;
    default:
      throw new PgError(SqlState.FeatureNotSupported, `${stmt.nodeType.replace(/Stmt$/, '')} statements are not supported by polaris-pg`, {
        hint: 'polaris-pg runs read-only queries against Druid.',
      });
  }
}

/**
 * The RowDescription of a utility statement that returns rows (SHOW, FETCH, EXECUTE), or NoData;
 * a catalog cursor's FETCH answers with the RowDescription frame the catalog produced.
 */
async function describeResult(ctx: SessionContext, stmt: ParsedStatement, formats: readonly FormatCode[]): Promise<void> {
  const node = stmt.ast[stmt.nodeType] as Node;
  let columns: ResultColumn[] | null = null;
  if (stmt.nodeType === 'VariableShowStmt') columns = showColumns(ctx, node);
  else if (stmt.nodeType === 'ExecuteStmt') columns = await executeColumns(ctx, stmt);
  else if (stmt.nodeType === 'FetchStmt' && node.ismove !== true) {
    const cursor = fetchColumns(ctx, node);
    if (cursor?.kind === 'catalog') {
      ctx.out.writeRaw(cursor.description);
      return;
    }
    columns = cursor ? cursor.query.source.columns : null;
  }
  if (columns === null) ctx.out.writer.noData();
  else ctx.runner.sendRowDescription(columns, formats);
}

/** Statements the gateway answers itself: settings, transactions, cursors, prepared statements. */
export const utilityRoute: Route<'utility'> = {
  async parse(ctx, request) {
    if (request.stmt === null) throw new PgError(SqlState.InternalError, 'a utility statement without a statement');
    if (request.protocol === 'extended') ctx.out.writer.parseComplete();
    return { route: 'utility', name: request.name, stmt: request.stmt, paramTypes: [...request.paramTypes] };
  },

  async bind(ctx, statement, request) {
    return bindStatement(ctx, statement, request);
  },

  async describe(ctx, what) {
    if (what.target === 'S') {
      ctx.out.writer.parameterDescription(what.statement.paramTypes);
      await describeResult(ctx, what.statement.stmt, []);
    } else {
      await describeResult(ctx, what.portal.statement.stmt, what.portal.formats ?? []);
    }
  },

  async execute(ctx, portal) {
    await run(ctx, portal.statement.stmt, portal.formats);
    return true;
  },

  async close(ctx, _what, reply) {
    if (reply) ctx.out.writer.closeComplete();
  },
};
