/**
 * One client's view of the shared PGlite catalog.
 *
 * Every call runs alone on PGlite and ends with Sync, so PGlite never holds a transaction or a
 * portal between calls. Statements live in PGlite under per-session names (the unnamed one too,
 * as another session may run between this session's Parse and Bind). A portal is run to completion
 * at Bind (Bind + Describe + Execute + Sync) and its reply kept here; Describe(P) and Execute
 * (with maxRows and PortalSuspended) are answered from that reply.
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
 */
import { SqlState } from '../errors/sqlstate.js';
import { BackendCode } from '../wire/constants.js';
import type { FormatCode } from '../wire/messages.js';
import {
  clientFrames,
  closeComplete,
  codeOf,
  commandComplete,
  commandTag,
  errorResponse,
  hasError,
  portalSuspended,
} from './frames.js';
import { bindMessage, closeMessage, describeMessage, executeMessage, parseMessage, queryMessage, syncMessage } from './frontend.js';
import { rewriteForCatalog } from './compat.js';
import type { SharedBackend } from './shared-backend.js';
import type { CatalogReply, CatalogSession, CatalogSessionInfo } from './types.js';

/** PGlite's unnamed portal; safe to use because each call ends with Sync. */
const UNNAMED = '';
const SELECT_TAG = /^SELECT \d+$/;

interface Statement {
  internal: string;
  sql: string;
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

function failure(code: string, message: string): CatalogReply {
  return { bytes: errorResponse(code, message), failed: true };
}

function statementName(name: string): string {
  return name === '' ? 'unnamed prepared statement' : `prepared statement "${name}"`;
}

export class PgliteCatalogSession implements CatalogSession {
  readonly #backend: SharedBackend;
  readonly #info: CatalogSessionInfo;
  readonly #statements = new Map<string, Statement>();
  readonly #portals = new Map<string, Portal>();
  #counter = 0;

  constructor(backend: SharedBackend, info: CatalogSessionInfo) {
    this.#backend = backend;
    this.#info = info;
  }

  #run(sqlText: string | null, messages: Buffer[]): Promise<Buffer[]> {
    return this.#backend.exclusive(async () => clientFrames(await this.#backend.request(this.#info, sqlText, Buffer.concat(messages))));
  }

  async simpleQuery(sql: string): Promise<CatalogReply> {
    return reply(await this.#run(sql, [queryMessage(rewriteForCatalog(sql))]));
  }

  async parse(name: string, sql: string, paramTypes: number[]): Promise<CatalogReply> {
    if (name !== '' && this.#statements.has(name)) {
      return failure(SqlState.DuplicatePreparedStatement, `prepared statement "${name}" already exists`);
    }
    const pid = this.#info.processId;
    const internal = name === '' ? `polaris_${pid}_unnamed` : `polaris_${pid}_${++this.#counter}`;
    // Parse into the unnamed statement replaces it; a named one must be closed first.
    const close = name === '' ? [closeMessage('S', internal)] : [];
    let frames = await this.#run(null, [...close, parseMessage(internal, rewriteForCatalog(sql), paramTypes), syncMessage()]);
    if (name === '' && frames[0] !== undefined && codeOf(frames[0]) === BackendCode.CloseComplete) frames = frames.slice(1);
    if (hasError(frames)) this.#statements.delete(name);
    else this.#statements.set(name, { internal, sql });
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
    const frames = await this.#run(prepared.sql, [
      bindMessage(UNNAMED, prepared.internal, paramFormats, params, resultFormats),
      describeMessage('P', UNNAMED),
      executeMessage(UNNAMED, 0),
      syncMessage(),
    ]);
    const [first, second] = frames;
    if (first === undefined || codeOf(first) !== BackendCode.BindComplete) return reply(frames);
    const described = second !== undefined && (codeOf(second) === BackendCode.RowDescription || codeOf(second) === BackendCode.NoData);
    const rest = frames.slice(described ? 2 : 1);
    const tail = rest.pop() ?? commandComplete('SELECT 0');
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
    return reply(await this.#run(null, [describeMessage('S', prepared.internal), syncMessage()]));
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
      out.push(portalSuspended());
      return Promise.resolve(reply(out));
    }
    portal.executed = true;
    if (codeOf(portal.tail) === BackendCode.CommandComplete && SELECT_TAG.test(commandTag(portal.tail))) {
      // After a suspension the final tag counts the rows of the last Execute only.
      out.push(commandComplete(`SELECT ${rows}`));
    } else {
      out.push(portal.tail);
      if (codeOf(portal.tail) === BackendCode.ErrorResponse) this.#portals.delete(portalName);
    }
    return Promise.resolve(reply(out));
  }

  async close(target: 'S' | 'P', name: string): Promise<CatalogReply> {
    if (target === 'P') {
      this.#portals.delete(name);
      return reply([closeComplete()]);
    }
    const prepared = this.#statements.get(name);
    if (prepared === undefined) return reply([closeComplete()]);
    this.#statements.delete(name);
    return reply(await this.#run(null, [closeMessage('S', prepared.internal), syncMessage()]));
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

  discardTemp(): Promise<void> {
    const pid = this.#info.processId;
    return this.#backend.exclusive(() => this.#backend.dropTemp(pid));
  }

  async end(): Promise<void> {
    const closes = [...this.#statements.values()].map((s) => closeMessage('S', s.internal));
    this.#statements.clear();
    this.#portals.clear();
    const pid = this.#info.processId;
    await this.#backend.exclusive(() => this.#backend.endSession(pid, closes.length === 0 ? null : Buffer.concat([...closes, syncMessage()])));
  }
}
