import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { list } from '../sql/ast.js';
import { classify } from '../sql/classify.js';
import type { ParsedStatement } from '../sql/types.js';
import type { FormatCode } from '../wire/messages.js';
import type { SessionContext } from './context.js';
import { argumentText, typeOid } from './execute-args.js';
import type { ResultColumn } from '../exec/row-source.js';

type Node = Record<string, unknown>;

/**
 * SQL-level prepared statements. They share one namespace with the extended protocol's named
 * statements, as in PostgreSQL (a Parse of a name taken by PREPARE fails with 42P05).
 * https://www.postgresql.org/docs/current/sql-prepare.html
 */

/** PREPARE name [(type, ...)] AS statement. */
export async function runPrepare(ctx: SessionContext, stmt: ParsedStatement): Promise<void> {
  const node = stmt.ast.PrepareStmt as Node;
  const query = node.query as Node;
  const inner: ParsedStatement = { ...stmt, ast: query, nodeType: Object.keys(query)[0] ?? '', route: classify(query) };
  const paramTypes = list(node.argtypes).map((t) => typeOid(t, stmt));
  await ctx.statements.prepare({ name: String(node.name ?? ''), stmt: inner, paramTypes, protocol: 'sql' });
  ctx.complete('PREPARE');
}

/** EXECUTE name [(argument, ...)]: the statement's own result and command tag. */
export async function runExecute(ctx: SessionContext, stmt: ParsedStatement, formats: FormatCode[] | null): Promise<void> {
  const node = stmt.ast.ExecuteStmt as Node;
  const name = String(node.name ?? '');
  const statement = ctx.statements.get(name);
  const args = list(node.params) as Node[];
  const expected = statement.paramTypes.length;
  if (args.length !== expected) {
    throw new PgError(SqlState.SyntaxError, `wrong number of parameters for prepared statement "${name}"`, {
      detail: `Expected ${expected} parameters but got ${args.length}.`,
    });
  }
  const params = args.map((arg, i) => {
    const text = argumentText(stmt, arg, statement.paramTypes[i] ?? 0, i + 1);
    return text === null ? null : Buffer.from(text);
  });
  await ctx.statements.run(statement, { portal: '', paramFormats: [], params, resultFormats: formats, reply: false });
}

/** The columns EXECUTE returns, for Describe. */
export async function executeColumns(ctx: SessionContext, stmt: ParsedStatement): Promise<ResultColumn[] | null> {
  const node = stmt.ast.ExecuteStmt as Node;
  return ctx.statements.resultColumns(ctx.statements.get(String(node.name ?? '')));
}

/** DEALLOCATE [PREPARE] name | ALL. */
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
