import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import { nodeBody, str, type AstBody } from '../../sql/ast.js';
import type { ParsedStatement } from '../../sql/types.js';
import { targetTable, type CreateAsPlan } from '../../sql/write.js';
import type { SessionContext } from '../context.js';
import { prepareCopyFrom, runCopyFrom, type PreparedCopyFrom } from './copy-from.js';
import { prepareCreateAs, runCreateAs } from './create-as.js';
import { prepareInsert, runInsert, type PreparedInsert } from './insert.js';
import type { ParamValue } from '../../types/params.js';
import { withSchema } from './insert.js';
import { createTablePlan, type CreateTablePlan } from './polaris-create.js';
import { refusal } from './refusals.js';

/** A write statement as analysed at Parse (docs/writes.md). */
export type WritePlan =
  | { kind: 'insert'; insert: PreparedInsert }
  | { kind: 'createAs'; plan: CreateAsPlan }
  | { kind: 'copyFrom'; copy: PreparedCopyFrom }
  /** CREATE TABLE on a backend with empty tables (Polaris). */
  | { kind: 'createTable'; create: CreateTablePlan }
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
      const relation = body.relation as AstBody;
      if (ctx.writes.tables !== undefined) {
        // Checks the schema part of the name (42P01 for a schema that is not the data schema).
        await withSchema(ctx, (schema) => targetTable(stmt, relation, schema, ctx.writes.schemaName, true));
        return { kind: 'createTable', create: createTablePlan(stmt, str(relation.relname) ?? '') };
      }
      if (body.if_not_exists !== true) return null;
      const table = await withSchema(ctx, (schema) => targetTable(stmt, relation, schema, ctx.writes.schemaName, true));
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
    case 'createTable':
      return runCreateTable(ctx, plan.create);
    case 'exists':
      ctx.notice(SqlState.DuplicateTable, `relation "${plan.table}" already exists, skipping`);
      return 'CREATE TABLE';
    case undefined:
      throw refusal(stmt);
  }
}

/** CREATE TABLE through the backend's table registry; IF NOT EXISTS of an existing one is a NOTICE, as in PostgreSQL. */
async function runCreateTable(ctx: SessionContext, plan: CreateTablePlan): Promise<string> {
  const name = plan.table.name;
  if (!(await ctx.writes.createTable(plan.table))) {
    if (!plan.ifNotExists) throw new PgError(SqlState.DuplicateTable, `relation "${name}" already exists`);
    ctx.notice(SqlState.DuplicateTable, `relation "${name}" already exists, skipping`);
    return 'CREATE TABLE';
  }
  await ctx.writes.refreshSchema();
  return 'CREATE TABLE';
}
