import { PgError, unsupported } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { classify } from '../sql/classify.js';
import type { ParsedStatement } from '../sql/types.js';
import type { FormatCode } from '../wire/messages.js';
import type { ActiveQuery } from './data.js';
import type { Session } from './session.js';

type Node = Record<string, unknown>;

/** DECLARE options bits (parsenodes.h CURSOR_OPT_*). */
const CURSOR_OPT_BINARY = 0x0001;
const CURSOR_OPT_HOLD = 0x0020;
/** FETCH ALL arrives as the largest howMany. */
const FETCH_ALL = 2147483647;

/** A cursor reads from its open backend response as it is fetched; it never re-runs the query. */
export interface Cursor {
  name: string;
  query: ActiveQuery;
  binary: boolean;
  hold: boolean;
  /** Declared inside the current transaction block (closed by its ROLLBACK, even WITH HOLD). */
  declaredInBlock: boolean;
}

/** DECLARE name [BINARY] [NO SCROLL] CURSOR [WITH HOLD] FOR query. https://www.postgresql.org/docs/current/sql-declare.html */
export async function runDeclare(session: Session, stmt: ParsedStatement): Promise<void> {
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
  if (inner.route !== 'data') {
    throw unsupported('a cursor over a catalog query', 'Run catalog (pg_catalog/information_schema) queries without DECLARE.');
  }
  const translation = await session.data.translate(inner, []);
  if (translation.slots.length > 0) throw new PgError(SqlState.UndefinedParameter, 'there is no parameter $1');
  const active = await session.data.open(translation, []);
  session.cursors.set(name, {
    name,
    query: active,
    binary: (options & CURSOR_OPT_BINARY) !== 0,
    hold,
    declaredInBlock: session.tx.inBlock,
  });
  session.complete('DECLARE CURSOR');
}

function cursorFor(session: Session, name: string): Cursor {
  const cursor = session.cursors.get(name);
  if (!cursor) throw new PgError(SqlState.InvalidCursorName, `cursor "${name}" does not exist`);
  return cursor;
}

function fetchCount(node: Node): number {
  const direction = String(node.direction);
  const howMany = Number(node.howMany ?? 1);
  if (direction !== 'FETCH_FORWARD') {
    throw new PgError(SqlState.ObjectNotInPrerequisiteState, 'cursor can only scan forward', {
      hint: 'polaris-pg cursors read the backend result once; use FETCH [FORWARD] n, NEXT or ALL.',
    });
  }
  if (howMany <= 0) throw unsupported('FETCH FORWARD 0 (re-fetching the current row)');
  return howMany >= FETCH_ALL ? 0 : howMany;
}

/** The columns a FETCH returns, for Describe of a FETCH statement. */
export function fetchColumns(session: Session, node: Node): Cursor | undefined {
  return session.cursors.get(String(node.portalname));
}

/** FETCH / MOVE: rows from where the cursor stopped; the tag counts the rows. */
export async function runFetch(session: Session, node: Node, formats: readonly FormatCode[] | null, describe: boolean): Promise<void> {
  const cursor = cursorFor(session, String(node.portalname));
  const count = fetchCount(node);
  if (node.ismove === true) {
    let moved = 0;
    while (count === 0 || moved < count) {
      const rows = await session.readRows(cursor.query, count === 0 ? 0 : count - moved);
      if (rows.length === 0) break;
      moved += rows.length;
    }
    session.complete(`MOVE ${moved}`);
    return;
  }
  const effective: readonly FormatCode[] = formats ?? (cursor.binary ? [1] : [0]);
  const sent = await session.sendRows(cursor.query, effective, count, describe);
  session.complete(`FETCH ${sent.count}`);
}

export async function runClose(session: Session, node: Node): Promise<void> {
  const name = node.portalname;
  if (name === undefined) {
    for (const cursor of [...session.cursors.values()]) await closeCursor(session, cursor);
  } else {
    await closeCursor(session, cursorFor(session, String(name)));
  }
  session.complete('CLOSE CURSOR');
}

export async function closeCursor(session: Session, cursor: Cursor): Promise<void> {
  session.cursors.delete(cursor.name);
  await cursor.query.source.close();
}

/** At transaction end: non-holdable cursors close; a ROLLBACK also closes holdable ones declared in the block. */
export async function endTransactionCursors(session: Session, commit: boolean): Promise<void> {
  for (const cursor of [...session.cursors.values()]) {
    if (!cursor.hold || (!commit && cursor.declaredInBlock)) await closeCursor(session, cursor);
    else cursor.declaredInBlock = false;
  }
}
