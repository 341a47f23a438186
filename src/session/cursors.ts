import { codeOf, splitFrames } from '../wire/backend-reader.js';
import { PgError, unsupported } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { catalogFacts } from '../sql/catalog-facts.js';
import { classify } from '../sql/classify.js';
import { declaredQuery } from '../sql/declare-query.js';
import type { ParsedStatement } from '../sql/types.js';
import { BackendCode } from '../wire/constants.js';
import type { FormatCode } from '../wire/messages.js';
import { RelayedError, type SessionContext } from './context.js';
import { reserveBackendQuery } from './backend-slots.js';
import { prepareData } from './routes/data.js';
import type { Cursor } from './state.js';

type Node = Record<string, unknown>;

/** DECLARE options bits (parsenodes.h CURSOR_OPT_*). */
const CURSOR_OPT_BINARY = 0x0001;
const CURSOR_OPT_HOLD = 0x0020;
/** FETCH ALL arrives as the largest howMany. */
const FETCH_ALL = 2147483647;

/** DECLARE name [BINARY] [NO SCROLL] CURSOR [WITH HOLD] FOR query. https://www.postgresql.org/docs/current/sql-declare.html */
export async function runDeclare(session: SessionContext, stmt: ParsedStatement): Promise<void> {
  const node = stmt.ast.DeclareCursorStmt as Node;
  const name = String(node.portalname);
  const options = Number(node.options ?? 0);
  const hold = (options & CURSOR_OPT_HOLD) !== 0;
  if (!hold && !session.tx.inBlock) {
    throw new PgError(SqlState.NoActiveSqlTransaction, 'DECLARE CURSOR can only be used in transaction blocks');
  }
  if (session.cursors.has(name)) throw new PgError(SqlState.DuplicateCursor, `cursor "${name}" already exists`);
  const query = node.query as Node;
  const inner: ParsedStatement = { ...stmt, ast: query, nodeType: Object.keys(query)[0] ?? '', route: classify(query) };
  const base = { name, binary: (options & CURSOR_OPT_BINARY) !== 0, hold, declaredInBlock: session.tx.inBlock };
  if (inner.route === 'catalog') {
    session.cursors.set(name, { ...base, kind: 'catalog', ...(await readCatalogResult(session, stmt.text, base.binary, inner)) });
  } else if (inner.route === 'data') {
    const statement = await prepareData(session, { name: '', stmt: inner, paramTypes: [], protocol: 'simple' });
    reserveBackendQuery(session);
    session.cursors.set(name, { ...base, kind: 'data', query: await session.runner.start((controller) => session.data.open(statement.translation, [], { controller })) });
  } else {
    throw unsupported(`a cursor over a ${inner.nodeType} statement`);
  }
  session.complete('DECLARE CURSOR');
}

/** Runs the cursor's catalog query to completion and keeps its frames. */
async function readCatalogResult(
  session: SessionContext,
  declareText: string,
  binary: boolean,
  query: ParsedStatement,
): Promise<{ description: Buffer; rows: Buffer[]; position: number }> {
  const sql = declaredQuery(declareText);
  if (sql === null) throw unsupported('this DECLARE form');
  const catalog = await session.catalog();
  const name = `polaris_cursor_${session.processId}`;
  const replies = [
    await catalog.parse(name, sql, [], query.nodeType === 'SelectStmt', catalogFacts(query.ast)),
    await catalog.bind(name, name, [], [], binary ? [1] : []),
    await catalog.describe('P', name),
    await catalog.execute(name, 0),
    await catalog.close('S', name),
    await catalog.sync(),
  ];
  const frames = replies.flatMap((r) => splitFrames(r.bytes));
  const failed = replies.find((r) => r.failed);
  if (failed) {
    session.out.writeRaw(Buffer.concat(frames.filter((f) => codeOf(f) === BackendCode.ErrorResponse)));
    throw new RelayedError('catalog cursor query failed');
  }
  const description = frames.find((f) => codeOf(f) === BackendCode.RowDescription);
  if (!description) throw unsupported('a cursor over a catalog statement that returns no rows');
  return { description, rows: frames.filter((f) => codeOf(f) === BackendCode.DataRow), position: 0 };
}

function cursorFor(session: SessionContext, name: string): Cursor {
  const cursor = session.cursors.get(name);
  if (!cursor) throw new PgError(SqlState.InvalidCursorName, `cursor "${name}" does not exist`);
  return cursor;
}

function fetchCount(node: Node): number {
  const direction = String(node.direction);
  // libpg-query leaves zero-valued fields out of its JSON: FETCH FORWARD 0 has no howMany.
  const howMany = Number(node.howMany ?? 0);
  if (direction !== 'FETCH_FORWARD' || howMany < 0) {
    throw new PgError(SqlState.ObjectNotInPrerequisiteState, 'cursor can only scan forward', {
      hint: 'polaris-pg cursors read the backend result once; use FETCH [FORWARD] n, NEXT or ALL.',
    });
  }
  return howMany >= FETCH_ALL ? 0 : howMany;
}

/** The columns a FETCH returns, for Describe of a FETCH statement. */
export function fetchColumns(session: SessionContext, node: Node): Cursor | undefined {
  return session.cursors.get(String(node.portalname));
}

/**
 * FETCH FORWARD 0 (FETCH 0, MOVE 0) re-fetches the current row. Before the first row there is none,
 * so it returns no rows (pdo_pgsql sends it right after DECLARE); once the cursor has moved, the
 * current row was already handed out and is refused. https://www.postgresql.org/docs/current/sql-fetch.html
 */
function refetchesCurrentRow(node: Node): boolean {
  return String(node.direction) === 'FETCH_FORWARD' && Number(node.howMany ?? 0) === 0;
}

function columnsOfFetch(session: SessionContext, cursor: Cursor, formats: readonly FormatCode[] | null): void {
  if (cursor.kind === 'catalog') session.out.writeRaw(cursor.description);
  else session.runner.sendRowDescription(cursor.query.source.columns, formats ?? (cursor.binary ? [1] : [0]));
}

/** FETCH / MOVE: rows from where the cursor stopped; the tag counts the rows. */
export async function runFetch(session: SessionContext, node: Node, formats: readonly FormatCode[] | null, describe: boolean): Promise<void> {
  const cursor = cursorFor(session, String(node.portalname));
  const tag = node.ismove === true ? 'MOVE' : 'FETCH';
  if (refetchesCurrentRow(node)) {
    if (cursor.moved === true) throw unsupported(`${tag} FORWARD 0 (re-fetching the current row)`);
    if (describe && node.ismove !== true) columnsOfFetch(session, cursor, formats);
    session.complete(`${tag} 0`);
    return;
  }
  const count = fetchCount(node);
  cursor.moved = true;
  if (cursor.kind === 'catalog') {
    const end = count === 0 ? cursor.rows.length : Math.min(cursor.rows.length, cursor.position + count);
    const taken = cursor.rows.slice(cursor.position, end);
    cursor.position = end;
    if (node.ismove !== true) session.out.writeRaw(Buffer.concat(describe ? [cursor.description, ...taken] : taken));
    session.complete(`${node.ismove === true ? 'MOVE' : 'FETCH'} ${taken.length}`);
    return;
  }
  if (node.ismove === true) {
    let moved = 0;
    while (count === 0 || moved < count) {
      const rows = await session.runner.read(cursor.query, count === 0 ? 0 : count - moved);
      if (rows.length === 0) break;
      moved += rows.length;
    }
    session.complete(`MOVE ${moved}`);
    return;
  }
  const effective: readonly FormatCode[] = formats ?? (cursor.binary ? [1] : [0]);
  const sent = await session.runner.sendRows(cursor.query, effective, count, describe);
  session.complete(`FETCH ${sent.count}`);
}

export async function runClose(session: SessionContext, node: Node): Promise<void> {
  const name = node.portalname;
  if (name === undefined) {
    for (const cursor of [...session.cursors.values()]) await closeCursor(session, cursor);
  } else {
    await closeCursor(session, cursorFor(session, String(name)));
  }
  session.complete('CLOSE CURSOR');
}

export async function closeCursor(session: SessionContext, cursor: Cursor): Promise<void> {
  session.cursors.delete(cursor.name);
  if (cursor.kind === 'data') await cursor.query.source.close();
}

/** At transaction end: non-holdable cursors close; a ROLLBACK also closes holdable ones declared in the block. */
export async function endTransactionCursors(session: SessionContext, commit: boolean): Promise<void> {
  for (const cursor of [...session.cursors.values()]) {
    if (!cursor.hold || (!commit && cursor.declaredInBlock)) await closeCursor(session, cursor);
    else cursor.declaredInBlock = false;
  }
}
