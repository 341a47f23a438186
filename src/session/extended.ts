import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { parseSql } from '../sql/parser.js';
import type { FrontendMessage, Parse } from '../wire/messages.js';
import type { GucStore } from '../exec/gucs.js';
import type { SessionContext } from './context.js';
import type { Output } from './output.js';
import type { Statements } from './statements.js';
import type { TransactionState } from './transaction.js';

/** What the extended protocol needs of its session. */
export interface ExtendedHost extends SessionContext {
  readonly out: Output;
  readonly tx: TransactionState;
  readonly gucs: GucStore;
  readonly statements: Statements;
  currentQuery: string;
  /** Sends an error for a failed message and marks a transaction block failed. */
  fail(err: unknown): void;
  reportActivity(state: string): void;
  readyForQuery(): void;
  /** Ends the catalog's batch when a message since the last Sync went to the catalog. */
  syncCatalog(): Promise<void>;
}

/**
 * The extended query protocol: Parse/Bind/Describe/Execute/Close/Flush/Sync, with named and
 * unnamed statements and portals, row-limited Execute (PortalSuspended) that resumes the open
 * backend stream, and discard-until-Sync after an error. What a statement does is its route's
 * business (routes/); this class only follows the message flow.
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
 */
export class ExtendedProtocol {
  private skipUntilSync = false;

  constructor(private readonly host: ExtendedHost) {}

  async handle(msg: FrontendMessage): Promise<void> {
    if (msg.type === 'Sync') {
      await this.sync();
      return;
    }
    if (msg.type === 'Flush') {
      await this.host.out.flush();
      return;
    }
    if (this.skipUntilSync) return;
    const statements = this.host.statements;
    try {
      switch (msg.type) {
        case 'Parse':
          await this.parse(msg);
          break;
        case 'Bind':
          await statements.bind(msg);
          break;
        case 'Describe':
          await statements.describe(msg.target, msg.name);
          break;
        case 'Execute':
          this.host.reportActivity('active');
          await statements.executePortal(msg.portal, msg.maxRows);
          break;
        case 'Close':
          await statements.close(msg.target, msg.name);
          break;
        default:
          throw new PgError(SqlState.ProtocolViolation, `unexpected message type ${msg.type}`);
      }
    } catch (err) {
      this.host.fail(err);
      this.skipUntilSync = true;
    }
    await this.host.out.maybeFlush();
  }

  private async parse(msg: Parse): Promise<void> {
    this.host.currentQuery = msg.sql;
    const parsed = parseSql(msg.sql);
    if (parsed.length > 1) throw new PgError(SqlState.SyntaxError, 'cannot insert multiple commands into a prepared statement');
    await this.host.statements.prepare({ name: msg.name, stmt: parsed[0] ?? null, paramTypes: msg.paramTypes, protocol: 'extended' });
  }

  /** Sync ends the implicit transaction outside a block: its portals and SET LOCAL values go. */
  private async sync(): Promise<void> {
    const host = this.host;
    await host.syncCatalog();
    // The implicit transaction commits: the INSERTs gathered since the last Sync are ingested (write/batch.ts).
    if (this.skipUntilSync) await host.writes.batch.discard();
    else await host.writes.batch.commit(host).catch((err: unknown) => host.fail(err));
    this.skipUntilSync = false;
    if (!host.tx.inBlock) {
      await host.statements.closeAllPortals();
      host.gucs.endImplicitTransaction();
    }
    host.readyForQuery();
    await host.out.flush();
  }
}
