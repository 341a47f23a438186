/**
 * One client's view of the shared PGlite catalog.
 *
 * Every call runs alone on PGlite and ends with Sync, so PGlite never holds a transaction or a
 * portal between calls. A read-only SELECT runs on a prepared statement shared by all sessions
 * (plan-cache.ts), in the simple protocol too; other statements live in PGlite under per-session
 * names (the unnamed one too, as another session may run between this session's Parse and Bind).
 * A portal is run to completion
 * at Bind (Bind + Describe + Execute + Sync) and its reply kept here; Describe(P) and Execute
 * (with maxRows and PortalSuspended) are answered from that reply.
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
 */
import { SqlState } from '../errors/sqlstate.js';
import { BackendCode } from '../wire/constants.js';
import type { FormatCode } from '../wire/messages.js';
import { commandTag, hasError, codeOf } from '../wire/backend-reader.js';
import { BackendWriter } from '../wire/backend-writer.js';
import { FrontendWriter } from '../wire/frontend-writer.js';
import { publishJobsSql, type ManagementJob } from './management.js';
import type { SharedStatement } from './plan-cache.js';
import type { SessionSwitch } from './session-switch.js';
import type { CatalogReply, CatalogSession, CatalogSessionInfo, StatementFacts } from './types.js';

/** PGlite's unnamed portal; safe to use because each call ends with Sync. */
const UNNAMED = '';
const SELECT_TAG = /^SELECT \d+$/;
/** A statement whose facts the caller did not give (types.ts StatementFacts). */
const UNKNOWN_FACTS: StatementFacts = { parameters: false, readsActivity: true };

interface Statement {
  /** Whether the statement may read pg_stat_activity's rows (StatementFacts). */
  readsActivity: boolean;
  /** Whether the statement is a SELECT (one that changes nothing in the catalog). */
  select: boolean;
  /** The per-session PGlite statement, or null for a shared one. */
  internal: string | null;
  shared: SharedStatement | null;
}

interface Portal {
  /** RowDescription or NoData. */
  description: Buffer;
  /** DataRows (and any notices) in order. */
  body: Buffer[];
  position: number;
  /** CommandComplete, EmptyQueryResponse or ErrorResponse. */
  tail: Buffer;
  /** True once an Execute returned the tail. */
  executed: boolean;
}

function reply(frames: Buffer[]): CatalogReply {
  return { bytes: Buffer.concat(frames), failed: hasError(frames) };
}

/**
 * Encoders shared by all sessions: each batch is written and flushed in one synchronous step, and
 * flushed bytes are never written to again (byte-builder.ts).
 */
/** The messages sent to PGlite. */
const requests = new FrontendWriter();
/** The few backend messages a session answers itself. */
const answers = new BackendWriter();

function failure(code: string, message: string): CatalogReply {
  return { bytes: answers.errorResponse({ severity: 'ERROR', code, message }).flush(), failed: true };
}

/** Drops ReadyForQuery and ParameterStatus: the gateway reports its own session state. */
function clientFrames(frames: readonly Buffer[]): Buffer[] {
  return frames.filter((f) => codeOf(f) !== BackendCode.ReadyForQuery && codeOf(f) !== BackendCode.ParameterStatus);
}

function statementName(name: string): string {
  return name === '' ? 'unnamed prepared statement' : `prepared statement "${name}"`;
}

export class PgliteCatalogSession implements CatalogSession {
  readonly #switch: SessionSwitch;
  readonly #info: CatalogSessionInfo;
  readonly #statements = new Map<string, Statement>();
  readonly #portals = new Map<string, Portal>();
  #counter = 0;

  constructor(sessionSwitch: SessionSwitch, info: CatalogSessionInfo) {
    this.#switch = sessionSwitch;
    this.#info = info;
  }

  /** Runs messages on PGlite; a statement that is not a SELECT may have changed the catalog (DDL). */
  #run(readsActivity: boolean, messages: Buffer, changesCatalog = false): Promise<Buffer[]> {
    return this.#switch.exclusive(async () => {
      const frames = await this.#switch.request(this.#info, readsActivity, messages, changesCatalog);
      if (changesCatalog) this.#switch.invalidatePlans();
      return clientFrames(frames);
    });
  }

  #runShared(shared: SharedStatement, messages: (name: string) => Buffer): Promise<Buffer[]> {
    return this.#switch.exclusive(async () => clientFrames(await this.#switch.requestShared(this.#info, shared, messages)));
  }

  /** The shared statement for a SELECT, or null when it must run on its own. */
  #shared(sql: string, select: boolean, paramTypes: readonly number[], facts: StatementFacts): SharedStatement | null {
    return select ? { sql, paramTypes: [...paramTypes], readsActivity: facts.readsActivity } : null;
  }

  async simpleQuery(sql: string, select = false, facts = UNKNOWN_FACTS): Promise<CatalogReply> {
    const shared = this.#shared(sql, select && !facts.parameters, [], facts);
    if (shared === null) return reply(await this.#run(facts.readsActivity, requests.query(sql).flush(), !select));
    // Bind with no result formats gives text, as the simple protocol does; only BindComplete differs.
    const frames = await this.#runShared(shared, (internal) =>
      requests.bind(UNNAMED, internal, [], [], []).describe('P', UNNAMED).execute(UNNAMED, 0).sync().flush(),
    );
    return reply(frames.filter((f) => codeOf(f) !== BackendCode.BindComplete));
  }

  async parse(name: string, sql: string, paramTypes: number[], select = false, facts = UNKNOWN_FACTS): Promise<CatalogReply> {
    if (name !== '' && this.#statements.has(name)) {
      return failure(SqlState.DuplicatePreparedStatement, `prepared statement "${name}" already exists`);
    }
    const previous = this.#statements.get(name);
    const shared = this.#shared(sql, select, paramTypes, facts);
    if (shared !== null) {
      // Parsed here (unless prepared already) so that errors come at Parse, as in PostgreSQL.
      const frames = await this.#switch.exclusive(() => this.#switch.validateShared(this.#info, shared));
      if (hasError(frames)) {
        this.#statements.delete(name);
        return reply(frames);
      }
      if (previous?.internal != null) await this.#run(false, requests.close('S', previous.internal).sync().flush());
      this.#statements.set(name, { readsActivity: facts.readsActivity, select, internal: null, shared });
      return reply([answers.parseComplete().flush()]);
    }
    const pid = this.#info.processId;
    const internal = name === '' ? `polaris_${pid}_unnamed` : `polaris_${pid}_${++this.#counter}`;
    // Parse into the unnamed statement replaces it; a named one must be closed first.
    if (name === '') requests.close('S', internal);
    let frames = await this.#run(false, requests.parse(internal, sql, paramTypes).sync().flush());
    if (name === '' && frames[0] !== undefined && codeOf(frames[0]) === BackendCode.CloseComplete) frames = frames.slice(1);
    if (hasError(frames)) this.#statements.delete(name);
    else this.#statements.set(name, { readsActivity: facts.readsActivity, select, internal, shared: null });
    return reply(frames);
  }

  async bind(
    portal: string,
    statement: string,
    paramFormats: FormatCode[],
    params: (Buffer | null)[],
    resultFormats: FormatCode[],
  ): Promise<CatalogReply> {
    // The catalog cannot tell whether the client's transaction (which PostgreSQL ends portals with)
    // is still open, so Bind replaces a portal of the same name.
    this.#portals.delete(portal);
    const prepared = this.#statements.get(statement);
    if (prepared === undefined) return failure(SqlState.InvalidSqlStatementName, `${statementName(statement)} does not exist`);
    const run = (internal: string): Buffer =>
      requests.bind(UNNAMED, internal, paramFormats, params, resultFormats).describe('P', UNNAMED).execute(UNNAMED, 0).sync().flush();
    const frames =
      prepared.shared !== null ? await this.#runShared(prepared.shared, run)
      : await this.#run(prepared.readsActivity, run(prepared.internal ?? UNNAMED), !prepared.select);
    const [first, second] = frames;
    if (first === undefined || codeOf(first) !== BackendCode.BindComplete) return reply(frames);
    const described = second !== undefined && (codeOf(second) === BackendCode.RowDescription || codeOf(second) === BackendCode.NoData);
    const rest = frames.slice(described ? 2 : 1);
    const tail = rest.pop() ?? answers.commandComplete('SELECT 0').flush();
    this.#portals.set(portal, {
      description: described && second !== undefined ? second : Buffer.alloc(0),
      body: rest,
      position: 0,
      tail,
      executed: false,
    });
    return reply([first]);
  }

  async describe(target: 'S' | 'P', name: string): Promise<CatalogReply> {
    if (target === 'P') {
      const portal = this.#portals.get(name);
      if (portal === undefined) return failure(SqlState.InvalidCursorName, `portal "${name}" does not exist`);
      return reply([portal.description]);
    }
    const prepared = this.#statements.get(name);
    if (prepared === undefined) return failure(SqlState.InvalidSqlStatementName, `${statementName(name)} does not exist`);
    const describe = (internal: string): Buffer => requests.describe('S', internal).sync().flush();
    if (prepared.shared !== null) return reply(await this.#runShared(prepared.shared, describe));
    return reply(await this.#run(false, describe(prepared.internal ?? UNNAMED)));
  }

  /** Rows up to maxRows (0 = all); PortalSuspended when maxRows rows were returned, as PostgreSQL does. */
  execute(portalName: string, maxRows: number): Promise<CatalogReply> {
    const portal = this.#portals.get(portalName);
    if (portal === undefined) return Promise.resolve(failure(SqlState.InvalidCursorName, `portal "${portalName}" does not exist`));
    const out: Buffer[] = [];
    let rows = 0;
    while (portal.position < portal.body.length && !(maxRows > 0 && rows === maxRows)) {
      const frame = portal.body[portal.position++] as Buffer;
      if (codeOf(frame) === BackendCode.DataRow) rows++;
      out.push(frame);
    }
    if (maxRows > 0 && rows === maxRows) {
      out.push(answers.portalSuspended().flush());
      return Promise.resolve(reply(out));
    }
    portal.executed = true;
    if (codeOf(portal.tail) === BackendCode.CommandComplete && SELECT_TAG.test(commandTag(portal.tail))) {
      // After a suspension the final tag counts the rows of the last Execute only.
      out.push(answers.commandComplete(`SELECT ${rows}`).flush());
    } else {
      out.push(portal.tail);
      if (codeOf(portal.tail) === BackendCode.ErrorResponse) this.#portals.delete(portalName);
    }
    return Promise.resolve(reply(out));
  }

  async close(target: 'S' | 'P', name: string): Promise<CatalogReply> {
    if (target === 'P') {
      this.#portals.delete(name);
      return reply([answers.closeComplete().flush()]);
    }
    const prepared = this.#statements.get(name);
    this.#statements.delete(name);
    // A shared statement stays in the engine's cache.
    if (prepared?.internal == null) return reply([answers.closeComplete().flush()]);
    return reply(await this.#run(false, requests.close('S', prepared.internal).sync().flush()));
  }

  /**
   * Every call already ended with Sync in PGlite. Portals read to the end are dropped here (a
   * suspended one stays: inside a client transaction it outlives Sync).
   */
  sync(): Promise<CatalogReply> {
    for (const [name, portal] of this.#portals) {
      if (portal.position >= portal.body.length && portal.executed) this.#portals.delete(name);
    }
    return Promise.resolve({ bytes: Buffer.alloc(0), failed: false });
  }

  publishJobs(jobs: readonly ManagementJob[]): Promise<void> {
    const sql = publishJobsSql(this.#info.user, jobs);
    return this.#switch.exclusive(() => this.#switch.publish(sql));
  }

  discardTemp(): Promise<void> {
    const pid = this.#info.processId;
    return this.#switch.exclusive(() => this.#switch.dropTemp(pid));
  }

  async end(): Promise<void> {
    const internals = [...this.#statements.values()].flatMap((s) => (s.internal === null ? [] : [s.internal]));
    for (const internal of internals) requests.close('S', internal);
    const closes = internals.length === 0 ? null : requests.sync().flush();
    this.#statements.clear();
    this.#portals.clear();
    const pid = this.#info.processId;
    await this.#switch.exclusive(() => this.#switch.endSession(pid, closes));
  }
}
