import type { DruidParameter } from '../../schema/druid.js';
import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import type { Translation } from '../../sql/types.js';
import { decodeParameter } from '../../types/params.js';
import { slotParameter } from '../../types/to-druid.js';
import type { SessionContext } from '../context.js';
import { copySource, sendCopy } from '../copy.js';
import { outputContextOf } from '../../exec/output-context.js';
import type { ResultColumn } from '../../exec/row-source.js';
import type { BindRequest, DataPortal, DataStatement, ParseRequest, Protocol } from '../state.js';
import { checkBindCount, portalBase, type Route } from './route.js';
import { reserveBackendQuery } from '../backend-slots.js';

/**
 * A statement of a simple Query has no parameters: a $n in it fails with 42P02, as in PostgreSQL.
 * Parse and PREPARE take any number (types not given are inferred).
 */
function checkParameters(translation: Translation, protocol: Protocol): void {
  const slot = protocol === 'simple' ? translation.slots[0] : undefined;
  if (slot) throw new PgError(SqlState.UndefinedParameter, `there is no parameter $${slot.pgIndex}`);
}

/** Translates a data statement (a COPY's query) and checks its parameter references. */
export async function prepareData(ctx: SessionContext, request: ParseRequest & { stmt: NonNullable<ParseRequest['stmt']> }): Promise<DataStatement> {
  const source = request.stmt.nodeType === 'CopyStmt' ? copySource(request.stmt) : { query: request.stmt, format: null };
  const translation = await ctx.data.translate(source.query, request.paramTypes);
  checkParameters(translation, request.protocol);
  return {
    route: 'data',
    name: request.name,
    stmt: request.stmt,
    paramTypes: translation.paramTypes,
    translation,
    copy: source.format,
    columns: null,
  };
}

/** Decodes Bind values with the statement's parameter types and orders them as Druid's `?`s. */
function druidParameters(ctx: SessionContext, statement: DataStatement, request: BindRequest): DruidParameter[] {
  const timeZone = ctx.gucs.get('timezone') ?? 'UTC';
  const decoded = request.params.map((raw, i) => {
    if (raw === null) return null;
    const format = (request.paramFormats.length === 1 ? request.paramFormats[0] : request.paramFormats[i]) ?? 0;
    return decodeParameter(statement.paramTypes[i] ?? 0, format, raw);
  });
  return statement.translation.slots.map((slot) => slotParameter(decoded[slot.pgIndex - 1] ?? null, slot, { timeZone }));
}

/** The columns a data statement returns (learned once, from a LIMIT 0 probe), or null for COPY. */
export async function dataColumns(ctx: SessionContext, statement: DataStatement): Promise<ResultColumn[] | null> {
  if (statement.copy) return null;
  statement.columns ??= await ctx.data.describe(statement.stmt, statement.paramTypes);
  return statement.columns;
}

async function releaseQuery(portal: DataPortal): Promise<void> {
  const query = portal.query;
  portal.query = null;
  if (query) await query.source.close();
}

/** Opens the portal's backend query unless it is open. */
async function openQuery(ctx: SessionContext, portal: DataPortal): Promise<NonNullable<DataPortal['query']>> {
  if (portal.query === null) reserveBackendQuery(ctx);
  portal.query ??= await ctx.runner.start((controller) => ctx.data.open(portal.statement.translation, portal.parameters, { controller }));
  return portal.query;
}

/** Statements over Druid tables: translated to Druid SQL at parse, streamed from the backend at execute. */
export const dataRoute: Route<'data'> = {
  async parse(ctx, request) {
    if (request.stmt === null) throw new PgError(SqlState.InternalError, 'a data statement without a statement');
    const statement = await prepareData(ctx, { ...request, stmt: request.stmt });
    if (request.protocol === 'extended') ctx.out.writer.parseComplete();
    return statement;
  },

  async bind(ctx, statement, request) {
    checkBindCount(statement, request);
    const portal: DataPortal = { ...portalBase(request), route: 'data', statement, parameters: druidParameters(ctx, statement, request), query: null };
    if (request.reply) ctx.out.writer.bindComplete();
    return portal;
  },

  async describe(ctx, what) {
    if (what.target === 'S') {
      ctx.out.writer.parameterDescription(what.statement.paramTypes);
      const columns = await dataColumns(ctx, what.statement);
      if (columns === null) ctx.out.writer.noData();
      else ctx.runner.sendRowDescription(columns);
      return;
    }
    const portal = what.portal;
    if (portal.statement.copy) {
      ctx.out.writer.noData();
      return;
    }
    // Start the query now: Execute follows, and its header rows describe the result exactly.
    const columns = portal.done ? await dataColumns(ctx, portal.statement) : (await openQuery(ctx, portal)).source.columns;
    ctx.runner.sendRowDescription(columns ?? [], portal.formats ?? []);
  },

  async execute(ctx, portal, maxRows) {
    if (portal.done) {
      ctx.complete(portal.statement.copy ? 'COPY 0' : 'SELECT 0');
      return true;
    }
    return ctx.runner.withTimeout(async () => {
      const query = await openQuery(ctx, portal);
      const copy = portal.statement.copy;
      let tag: string;
      if (copy) {
        tag = `COPY ${await sendCopy(ctx.runner, ctx.out.writer, query, copy, outputContextOf(ctx.gucs))}`;
      } else {
        const sent = await ctx.runner.sendRows(query, portal.formats ?? [], maxRows, portal.formats === null);
        if (!sent.complete) {
          ctx.out.writer.portalSuspended();
          return false;
        }
        tag = `SELECT ${sent.count}`;
      }
      portal.done = true;
      await releaseQuery(portal);
      ctx.complete(tag);
      return true;
    });
  },

  async close(ctx, what, reply) {
    if (what.target === 'P') await releaseQuery(what.portal);
    if (reply) ctx.out.writer.closeComplete();
  },
};
