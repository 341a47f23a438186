import type { DruidParameter } from '../schema/druid.js';
import type { CatalogReply, CatalogSession } from '../catalog/types.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { parseSql } from '../sql/parser.js';
import type { ParsedStatement, Translation } from '../sql/types.js';
import { decodeParameter } from '../types/params.js';
import { toDruidParameter } from '../types/to-druid.js';
import type { Bind, Close, Describe, Execute, FormatCode, FrontendMessage, Parse } from '../wire/messages.js';
import { fetchColumns } from './cursors.js';
import type { ActiveQuery } from './data.js';
import type { ResultColumn } from './row-source.js';
import type { Session } from './session.js';
import { showColumns } from './utility.js';

interface PreparedStatement {
  name: string;
  /** null for an empty query string. */
  stmt: ParsedStatement | null;
  paramTypes: number[];
  /** Data statements: translated at Parse so errors surface there. */
  translation: Translation | null;
  /** Result columns learned by Describe (cached). */
  columns: ResultColumn[] | null;
}

interface Portal {
  name: string;
  statement: PreparedStatement;
  parameters: DruidParameter[];
  resultFormats: FormatCode[];
  query: ActiveQuery | null;
  /** The result was read to the end (or the utility statement ran). */
  done: boolean;
}

/**
 * The extended query protocol: Parse/Bind/Describe/Execute/Close/Flush/Sync, with named and
 * unnamed statements and portals, row-limited Execute (PortalSuspended) that resumes the open
 * backend stream, and discard-until-Sync after an error.
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
 */
export class ExtendedProtocol {
  private readonly statements = new Map<string, PreparedStatement>();
  private readonly portals = new Map<string, Portal>();
  private skipUntilSync = false;
  private catalogTouched = false;

  constructor(private readonly session: Session) {}

  async handle(msg: FrontendMessage): Promise<void> {
    if (msg.type === 'Sync') {
      await this.sync();
      return;
    }
    if (msg.type === 'Flush') {
      await this.session.out.flush();
      return;
    }
    if (this.skipUntilSync) return;
    if (msg.type === 'Execute') this.session.reportActivity('active');
    try {
      switch (msg.type) {
        case 'Parse':
          await this.parse(msg);
          break;
        case 'Bind':
          await this.bind(msg);
          break;
        case 'Describe':
          await this.describe(msg);
          break;
        case 'Execute':
          await this.execute(msg);
          break;
        case 'Close':
          await this.close(msg);
          break;
        default:
          throw new PgError(SqlState.ProtocolViolation, `unexpected message type ${msg.type}`);
      }
    } catch (err) {
      this.session.fail(err);
      this.skipUntilSync = true;
    }
    await this.session.out.maybeFlush();
  }

  private async sync(): Promise<void> {
    const session = this.session;
    if (this.catalogTouched) {
      this.catalogTouched = false;
      const reply = await (await session.catalog()).sync();
      session.out.writeRaw(reply.bytes);
    }
    this.skipUntilSync = false;
    // Outside a transaction block, Sync ends the implicit transaction, which drops every portal.
    if (!session.tx.inBlock) await this.closeAllPortals();
    session.readyForQuery();
    await session.out.flush();
  }

  private async parse(msg: Parse): Promise<void> {
    if (msg.name !== '' && this.statements.has(msg.name)) {
      throw new PgError(SqlState.DuplicatePreparedStatement, `prepared statement "${msg.name}" already exists`);
    }
    this.session.currentQuery = msg.sql;
    const parsed = parseSql(msg.sql);
    if (parsed.length > 1) throw new PgError(SqlState.SyntaxError, 'cannot insert multiple commands into a prepared statement');
    const stmt = parsed[0] ?? null;
    const prepared: PreparedStatement = { name: msg.name, stmt, paramTypes: [...msg.paramTypes], translation: null, columns: null };
    if (stmt?.route === 'catalog') {
      await this.catalogCall((c) => c.parse(msg.name, msg.sql, msg.paramTypes, stmt.nodeType === 'SelectStmt'));
    } else {
      if (stmt?.route === 'data') {
        prepared.translation = await this.session.data.translate(stmt, msg.paramTypes);
        prepared.paramTypes = prepared.translation.paramTypes;
      }
      this.session.out.writer.parseComplete();
    }
    this.statements.set(msg.name, prepared);
  }

  private statement(name: string): PreparedStatement {
    const found = this.statements.get(name);
    if (!found) {
      throw new PgError(
        SqlState.InvalidSqlStatementName,
        name === '' ? 'unnamed prepared statement does not exist' : `prepared statement "${name}" does not exist`,
      );
    }
    return found;
  }

  private portal(name: string): Portal {
    const found = this.portals.get(name);
    if (!found) throw new PgError(SqlState.InvalidCursorName, name === '' ? 'unnamed portal does not exist' : `portal "${name}" does not exist`);
    return found;
  }

  private checkTransaction(stmt: ParsedStatement | null): void {
    if (this.session.tx.status !== 'E' || stmt?.nodeType === 'TransactionStmt') return;
    this.session.tx.checkNotFailed();
  }

  private async bind(msg: Bind): Promise<void> {
    const statement = this.statement(msg.statement);
    this.checkTransaction(statement.stmt);
    if (msg.portal !== '' && this.portals.has(msg.portal)) {
      throw new PgError(SqlState.DuplicateCursor, `portal "${msg.portal}" already exists`);
    }
    const previous = this.portals.get(msg.portal);
    if (previous) await this.closePortal(previous);
    const expected = statement.paramTypes.length;
    if (msg.params.length !== expected && statement.stmt?.route !== 'catalog') {
      throw new PgError(
        SqlState.ProtocolViolation,
        `bind message supplies ${msg.params.length} parameters, but prepared statement "${msg.statement}" requires ${expected}`,
      );
    }
    const portal: Portal = {
      name: msg.portal,
      statement,
      parameters: [],
      resultFormats: [...msg.resultFormats],
      query: null,
      done: false,
    };
    if (statement.stmt?.route === 'catalog') {
      await this.catalogCall((c) => c.bind(msg.portal, msg.statement, msg.paramFormats, msg.params, msg.resultFormats));
    } else {
      if (statement.translation) portal.parameters = this.druidParameters(statement, msg);
      this.session.out.writer.bindComplete();
    }
    this.portals.set(msg.portal, portal);
  }

  /** Decodes Bind values with the statement's parameter types and orders them as Druid's `?`s. */
  private druidParameters(statement: PreparedStatement, msg: Bind): DruidParameter[] {
    const translation = statement.translation as Translation;
    const timeZone = this.session.gucs.get('timezone') ?? 'UTC';
    const decoded = msg.params.map((raw, i) => {
      if (raw === null) return null;
      const format = (msg.paramFormats.length === 1 ? msg.paramFormats[0] : msg.paramFormats[i]) ?? 0;
      return decodeParameter(statement.paramTypes[i] ?? 0, format, raw);
    });
    return translation.slots.map((slot) => toDruidParameter(decoded[slot.pgIndex - 1] ?? null, slot.druidType, { timeZone }));
  }

  private async describe(msg: Describe): Promise<void> {
    const writer = this.session.out.writer;
    if (msg.target === 'S') {
      const statement = this.statement(msg.name);
      if (statement.stmt?.route === 'catalog') {
        await this.catalogCall((c) => c.describe('S', msg.name));
        return;
      }
      writer.parameterDescription(statement.paramTypes);
      this.sendDescription(await this.columnsOf(statement), []);
      return;
    }
    const portal = this.portal(msg.name);
    const stmt = portal.statement.stmt;
    if (stmt?.route === 'catalog') {
      await this.catalogCall((c) => c.describe('P', msg.name));
      return;
    }
    if (stmt?.route === 'data' && portal.query === null && !portal.done) {
      // Start the query now: Execute follows, and its header rows describe the result exactly.
      portal.query = await this.session.startQuery(() => this.session.data.open(portal.statement.translation as Translation, portal.parameters));
    }
    this.sendDescription(portal.query ? portal.query.source.columns : await this.columnsOf(portal.statement), portal.resultFormats);
  }

  private sendDescription(columns: ResultColumn[] | { raw: Buffer } | null, formats: readonly FormatCode[]): void {
    if (columns === null) this.session.out.writer.noData();
    else if ('raw' in columns) this.session.out.writeRaw(columns.raw);
    else this.session.sendRowDescription(columns, formats);
  }

  /**
   * Result columns of a statement, or null when it returns no rows; a catalog cursor's FETCH
   * answers with the RowDescription frame the catalog produced.
   */
  private async columnsOf(statement: PreparedStatement): Promise<ResultColumn[] | { raw: Buffer } | null> {
    const stmt = statement.stmt;
    if (stmt === null) return null;
    if (stmt.route === 'data') {
      statement.columns ??= await this.session.data.describe(stmt, statement.paramTypes);
      return statement.columns;
    }
    const node = stmt.ast[stmt.nodeType] as Record<string, unknown>;
    if (stmt.nodeType === 'VariableShowStmt') return showColumns(this.session, node);
    if (stmt.nodeType === 'FetchStmt' && node.ismove !== true) {
      const cursor = fetchColumns(this.session, node);
      if (cursor?.kind === 'catalog') return { raw: cursor.description };
      return cursor ? cursor.query.source.columns : null;
    }
    return null;
  }

  private async execute(msg: Execute): Promise<void> {
    const session = this.session;
    const portal = this.portal(msg.portal);
    const stmt = portal.statement.stmt;
    this.checkTransaction(stmt);
    if (stmt === null) {
      session.out.writer.emptyQueryResponse();
      return;
    }
    if (stmt.route === 'catalog') {
      await this.catalogCall((c) => c.execute(msg.portal, msg.maxRows));
      return;
    }
    if (stmt.route !== 'data') {
      await session.runStatement(stmt, portal.resultFormats);
      portal.done = true;
      return;
    }
    if (portal.done) {
      session.complete('SELECT 0');
      return;
    }
    await session.withTimeout(async () => {
      portal.query ??= await session.startQuery(() => session.data.open(portal.statement.translation as Translation, portal.parameters));
      const sent = await session.sendRows(portal.query, portal.resultFormats, msg.maxRows, false);
      if (sent.complete) {
        portal.done = true;
        await portal.query.source.close();
        portal.query = null;
        session.complete(`SELECT ${sent.count}`);
      } else {
        session.out.writer.portalSuspended();
      }
    });
  }

  private async close(msg: Close): Promise<void> {
    if (msg.target === 'S') {
      const statement = this.statements.get(msg.name);
      this.statements.delete(msg.name);
      if (statement?.stmt?.route === 'catalog') {
        await this.catalogCall((c) => c.close('S', msg.name));
        return;
      }
    } else {
      const portal = this.portals.get(msg.name);
      if (portal) await this.closePortal(portal);
      if (portal?.statement.stmt?.route === 'catalog') {
        await this.catalogCall((c) => c.close('P', msg.name));
        return;
      }
    }
    this.session.out.writer.closeComplete();
  }

  private async catalogCall(call: (c: CatalogSession) => Promise<CatalogReply>): Promise<void> {
    this.catalogTouched = true;
    await this.session.relay(await call(await this.session.catalog()));
  }

  private async closePortal(portal: Portal): Promise<void> {
    this.portals.delete(portal.name);
    if (portal.query) {
      const query = portal.query;
      portal.query = null;
      await query.source.close();
    }
  }

  async closeAllPortals(): Promise<void> {
    for (const portal of [...this.portals.values()]) await this.closePortal(portal);
  }

  async deallocate(name: string): Promise<boolean> {
    const statement = this.statements.get(name);
    if (!statement) return false;
    this.statements.delete(name);
    // The catalog's CloseComplete is not relayed: DEALLOCATE answers with its own tag.
    if (statement.stmt?.route === 'catalog') await (await this.session.catalog()).close('S', name);
    return true;
  }

  async deallocateAll(): Promise<void> {
    for (const name of [...this.statements.keys()]) await this.deallocate(name);
  }
}
