import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import { decodeParameter } from '../../types/params.js';
import type { SessionContext } from '../context.js';
import type { WritePortal, WriteStatement } from '../state.js';
import { InsertBatch } from '../write/batch.js';
import { planWrite, runWrite } from '../write/plan.js';
import { readOnlyError, secondWriteInBlock } from '../write/refusals.js';
import { checkBindCount, portalBase, type Route } from './route.js';

/** 25006 when read-only; 0A000 for a second write in an explicit transaction block. */
function admitWrite(ctx: SessionContext, statement: WriteStatement): void {
  if (ctx.writes.readOnly(ctx.tx)) throw readOnlyError(statement.stmt);
  if (!ctx.tx.inBlock) return;
  if (ctx.tx.writes > 0) throw secondWriteInBlock(statement.stmt);
  ctx.tx.writes += 1;
}

async function run(ctx: SessionContext, portal: WritePortal): Promise<string> {
  const statement = portal.statement;
  admitWrite(ctx, statement);
  // Outside a transaction block the rows wait for Sync, where the implicit transaction commits.
  if (portal.gathered && !ctx.tx.inBlock && statement.plan?.kind === 'insert') {
    return `INSERT 0 ${await ctx.writes.batch.add(ctx, statement.plan.insert, portal.params)}`;
  }
  return runWrite(ctx, statement.stmt, statement.plan, portal.params);
}

/** Statements that write Druid tables: analysed at Parse, ingested at Execute (docs/writes.md). */
export const writeRoute: Route<'write'> = {
  async parse(ctx, request) {
    const stmt = request.stmt;
    if (stmt === null) throw new PgError(SqlState.InternalError, 'a write statement without a statement');
    const plan = await planWrite(ctx, stmt, request.paramTypes);
    if (request.protocol === 'extended') ctx.out.writer.parseComplete();
    const paramTypes = plan?.kind === 'insert' ? plan.insert.paramTypes : [...request.paramTypes];
    return { route: 'write', name: request.name, stmt, paramTypes, plan };
  },

  async bind(ctx, statement, request) {
    checkBindCount(statement, request);
    const params = request.params.map((raw, i) => {
      const format = (request.paramFormats.length === 1 ? request.paramFormats[0] : request.paramFormats[i]) ?? 0;
      return decodeParameter(statement.paramTypes[i] ?? 0, format, raw, i + 1);
    });
    if (request.reply) ctx.out.writer.bindComplete();
    return { ...portalBase(request), route: 'write', statement, params, gathered: request.reply && InsertBatch.gathers(statement) };
  },

  async describe(ctx, what) {
    if (what.target === 'S') ctx.out.writer.parameterDescription(what.statement.paramTypes);
    ctx.out.writer.noData();
  },

  async execute(ctx, portal) {
    if (portal.done) throw new PgError(SqlState.InvalidCursorState, `portal "${portal.name}" cannot be run`);
    const tag = await run(ctx, portal);
    portal.done = true;
    ctx.complete(tag);
    return true;
  },

  async close(ctx, _what, reply) {
    if (reply) ctx.out.writer.closeComplete();
  },
};
