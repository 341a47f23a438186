import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { Metrics } from '../observability/metrics.js';
import type { ParsedStatement } from '../sql/types.js';
import type { Bind } from '../wire/messages.js';
import type { PreparedStatements, SessionContext } from './context.js';
import type { ResultColumn } from '../exec/row-source.js';
import { copySource } from './copy.js';
import { dataColumns } from './routes/data.js';
import { kindOf, routeFor } from './routes/index.js';
import type { BindRequest, ParseRequest, Portal, PreparedStatement, StatementKind } from './state.js';

const NANOS_PER_SECOND = 1e9;

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / NANOS_PER_SECOND;
}

/**
 * The session's prepared statements and portals, and the one path every statement takes through
 * its route: the simple protocol, the extended protocol and SQL PREPARE/EXECUTE all parse, bind,
 * execute and close here, so the 25P02 rule and the query metrics apply to each once.
 */
export class Statements implements PreparedStatements {
  private readonly statements = new Map<string, PreparedStatement>();
  private readonly portals = new Map<string, Portal>();

  constructor(
    private readonly ctx: SessionContext,
    private readonly metrics: Metrics,
  ) {}

  /** Parse or PREPARE: the statement is stored under its name (the unnamed one is replaced). */
  async prepare(request: ParseRequest): Promise<PreparedStatement> {
    this.ctx.tx.admit(request.stmt);
    if (request.name !== '' && this.statements.has(request.name)) {
      throw new PgError(SqlState.DuplicatePreparedStatement, `prepared statement "${request.name}" already exists`);
    }
    const statement = await this.parse(request);
    this.statements.set(request.name, statement);
    return statement;
  }

  get(name: string): PreparedStatement {
    const found = this.statements.get(name);
    if (!found) {
      throw new PgError(
        SqlState.InvalidSqlStatementName,
        name === '' ? 'unnamed prepared statement does not exist' : `prepared statement "${name}" does not exist`,
      );
    }
    return found;
  }

  /** One statement of a simple Query: parsed, bound without parameters, run and released. */
  async runSimple(stmt: ParsedStatement): Promise<void> {
    this.ctx.tx.admit(stmt);
    const statement = await this.parse({ name: '', stmt, paramTypes: [], protocol: 'simple' });
    await this.ctx.writes.batch.commit(this.ctx);
    await this.run(statement, { portal: '', paramFormats: [], params: [], resultFormats: null, reply: false });
  }

  /** Ingests the INSERTs gathered since the last Sync unless `statement` joins them (write/batch.ts). */
  private async settle(statement: PreparedStatement): Promise<void> {
    if (!this.ctx.writes.batch.joins(statement)) await this.ctx.writes.batch.commit(this.ctx);
  }

  async run(statement: PreparedStatement, request: BindRequest): Promise<void> {
    const portal = await routeFor(statement.route).bind(this.ctx, statement, request);
    try {
      await this.execute(portal, 0);
    } finally {
      await routeFor(portal.route).close(this.ctx, { target: 'P', portal }, false);
    }
  }

  async resultColumns(statement: PreparedStatement): Promise<ResultColumn[] | null> {
    return statement.route === 'data' ? dataColumns(this.ctx, statement) : null;
  }

  /** Bind: a named portal must be new; the unnamed one is replaced. */
  async bind(msg: Bind): Promise<void> {
    const statement = this.get(msg.statement);
    this.ctx.tx.admit(statement.stmt);
    await this.settle(statement);
    const previous = this.portals.get(msg.portal);
    if (previous && msg.portal !== '') throw new PgError(SqlState.DuplicateCursor, `portal "${msg.portal}" already exists`);
    if (previous) await this.closePortal(previous);
    const request: BindRequest = { portal: msg.portal, paramFormats: msg.paramFormats, params: msg.params, resultFormats: msg.resultFormats, reply: true };
    this.portals.set(msg.portal, await routeFor(statement.route).bind(this.ctx, statement, request));
  }

  async describe(target: 'S' | 'P', name: string): Promise<void> {
    if (target === 'S') {
      const statement = this.get(name);
      await routeFor(statement.route).describe(this.ctx, { target, statement });
    } else {
      const portal = this.portal(name);
      await routeFor(portal.route).describe(this.ctx, { target, portal });
    }
  }

  /** Execute: runs or resumes a portal (PortalSuspended at maxRows). */
  async executePortal(name: string, maxRows: number): Promise<void> {
    const portal = this.portal(name);
    this.ctx.tx.admit(portal.statement.stmt);
    await this.settle(portal.statement);
    await this.execute(portal, maxRows);
  }

  /** Close: closing a statement or portal that does not exist is not an error. */
  async close(target: 'S' | 'P', name: string): Promise<void> {
    if (target === 'S') {
      const statement = this.statements.get(name);
      this.statements.delete(name);
      if (statement) await routeFor(statement.route).close(this.ctx, { target, statement }, true);
      else this.ctx.out.writer.closeComplete();
      return;
    }
    const portal = this.portals.get(name);
    if (portal) await this.closePortal(portal, true);
    else this.ctx.out.writer.closeComplete();
  }

  openBackendQueries(): number {
    let open = 0;
    for (const portal of this.portals.values()) if (portal.route === 'data' && portal.query !== null) open++;
    return open;
  }

  async closeAllPortals(): Promise<void> {
    for (const portal of [...this.portals.values()]) await this.closePortal(portal);
  }

  async deallocate(name: string): Promise<boolean> {
    const statement = this.statements.get(name);
    if (!statement) return false;
    this.statements.delete(name);
    await routeFor(statement.route).close(this.ctx, { target: 'S', statement }, false);
    return true;
  }

  async deallocateAll(): Promise<void> {
    for (const name of [...this.statements.keys()]) await this.deallocate(name);
  }

  private async parse(request: ParseRequest): Promise<PreparedStatement> {
    const started = process.hrtime.bigint();
    let kind = kindOf(request.stmt);
    try {
      const stmt = request.stmt;
      // A data statement that reads only Polaris tables without data: the catalog engine holds them
      // as empty tables with their declared columns and answers as PostgreSQL (docs/polaris.md).
      if (kind === 'data' && stmt !== null && (await this.ctx.data.readsOnlyTablesWithoutData(stmt.nodeType === 'CopyStmt' ? copySource(stmt).query : stmt))) {
        kind = 'catalog';
        return await routeFor(kind).parse(this.ctx, { ...request, stmt: { ...stmt, route: 'catalog' } });
      }
      return await routeFor(kind).parse(this.ctx, request);
    } catch (err) {
      this.record(kind, 'error', secondsSince(started));
      throw err;
    }
  }

  /**
   * Route.execute with the query metrics: a statement counts once, when it completes or fails (or
   * is closed while suspended), with the time spent in all of its Executes.
   */
  private async execute(portal: Portal, maxRows: number): Promise<boolean> {
    const started = process.hrtime.bigint();
    try {
      const complete = await routeFor(portal.route).execute(this.ctx, portal, maxRows);
      portal.elapsed += secondsSince(started);
      if (complete) {
        portal.done = true;
        this.record(portal.route, 'ok', portal.elapsed);
      }
      return complete;
    } catch (err) {
      portal.elapsed += secondsSince(started);
      portal.done = true;
      this.record(portal.route, 'error', portal.elapsed);
      throw err;
    }
  }

  private record(kind: StatementKind, outcome: 'ok' | 'error', seconds: number): void {
    this.metrics.queries.inc({ route: kind, outcome });
    this.metrics.queryDuration.observe({ route: kind }, seconds);
  }

  private portal(name: string): Portal {
    const found = this.portals.get(name);
    if (!found) throw new PgError(SqlState.InvalidCursorName, name === '' ? 'unnamed portal does not exist' : `portal "${name}" does not exist`);
    return found;
  }

  private async closePortal(portal: Portal, reply = false): Promise<void> {
    this.portals.delete(portal.name);
    if (!portal.done && portal.elapsed > 0) this.record(portal.route, 'ok', portal.elapsed);
    await routeFor(portal.route).close(this.ctx, { target: 'P', portal }, reply);
  }
}
