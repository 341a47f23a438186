import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { ParsedStatement } from '../sql/types.js';
import type { SessionContext } from './context.js';

type Node = Record<string, unknown>;

/** DEALLOCATE [PREPARE] name | ALL. https://www.postgresql.org/docs/current/sql-deallocate.html */
export async function runDeallocate(ctx: SessionContext, stmt: ParsedStatement): Promise<void> {
  const node = stmt.ast.DeallocateStmt as Node;
  if (node.isall === true) {
    await ctx.statements.deallocateAll();
    ctx.complete('DEALLOCATE ALL');
    return;
  }
  const name = String(node.name ?? '');
  if (!(await ctx.statements.deallocate(name))) {
    throw new PgError(SqlState.InvalidSqlStatementName, `prepared statement "${name}" does not exist`);
  }
  ctx.complete('DEALLOCATE');
}
