import { SqlState } from '../../errors/sqlstate.js';
import { nodeBody, type AstBody } from '../../sql/ast.js';
import type { ParsedStatement } from '../../sql/types.js';
import { targetTable, type CreateAsPlan } from '../../sql/write.js';
import type { SessionContext } from '../context.js';
import { prepareCopyFrom, runCopyFrom, type PreparedCopyFrom } from './copy-from.js';
import { prepareCreateAs, runCreateAs } from './create-as.js';
import { prepareInsert, runInsert, type PreparedInsert } from './insert.js';
import type { ParamValue } from '../../types/params.js';
import { withSchema } from './insert.js';
import { refusal } from './refusals.js';

/** A write statement as analysed at Parse (docs/writes.md). */
export type WritePlan =
  | { kind: 'insert'; insert: PreparedInsert }
  | { kind: 'createAs'; plan: CreateAsPlan }
  | { kind: 'copyFrom'; copy: PreparedCopyFrom }
  /** CREATE TABLE IF NOT EXISTS of a table that exists: a NOTICE, as in PostgreSQL. */
  | { kind: 'exists'; table: string };

/** Analyses a write statement; null for statements refused at Execute (after the read-only check). */
export async function planWrite(ctx: SessionContext, stmt: ParsedStatement, paramTypes: readonly number[]): Promise<WritePlan | null> {
  switch (stmt.nodeType) {
    case 'InsertStmt':
      return { kind: 'insert', insert: await prepareInsert(ctx, stmt, paramTypes) };
    case 'CreateTableAsStmt':
      return { kind: 'createAs', plan: await prepareCreateAs(ctx, stmt) };
    case 'CopyStmt':
      return { kind: 'copyFrom', copy: await prepareCopyFrom(ctx, stmt) };
    case 'CreateStmt': {
      const body = nodeBody(stmt.ast);
      if (body.if_not_exists !== true) return null;
      const table = await withSchema(ctx, (schema) => targetTable(stmt, body.relation as AstBody, schema, ctx.writes.schemaName, true));
      return table === null ? null : { kind: 'exists', table: table.name };
    }
    default:
      return null;
  }
}

/** Runs an admitted write statement; returns its command tag. */
export async function runWrite(ctx: SessionContext, stmt: ParsedStatement, plan: WritePlan | null, params: readonly ParamValue[]): Promise<string> {
  switch (plan?.kind) {
    case 'insert': {
      const rows = await runInsert(ctx, plan.insert, params);
      await ctx.writes.refreshSchema();
      return `INSERT 0 ${rows}`;
    }
    case 'createAs': {
      const tag = await runCreateAs(ctx, plan.plan);
      await ctx.writes.refreshSchema();
      return tag;
    }
    case 'copyFrom': {
      const rows = await runCopyFrom(ctx, plan.copy);
      await ctx.writes.refreshSchema();
      return `COPY ${rows}`;
    }
    case 'exists':
      ctx.notice(SqlState.DuplicateTable, `relation "${plan.table}" already exists, skipping`);
      return 'CREATE TABLE';
    case undefined:
      throw refusal(stmt);
  }
}

