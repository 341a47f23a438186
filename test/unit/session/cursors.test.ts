import { loadModule, parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionContext } from '../../../src/session/context.js';
import { runFetch } from '../../../src/session/cursors.js';
import type { CatalogCursor } from '../../../src/session/state.js';

/** The FetchStmt node libpg-query makes of `sql`. */
function fetchNode(sql: string): Record<string, unknown> {
  const stmt = (parseSync(sql) as { stmts: Array<{ stmt: { FetchStmt: Record<string, unknown> } }> }).stmts[0]?.stmt;
  if (!stmt) throw new Error(`no statement in ${sql}`);
  return stmt.FetchStmt;
}

/** A session holding one catalog cursor "c" over two rows, recording what FETCH writes and its tags. */
function sessionWithCursor(): { session: SessionContext; written: Buffer[]; tags: string[] } {
  const cursor: CatalogCursor = {
    kind: 'catalog',
    name: 'c',
    binary: false,
    hold: true,
    declaredInBlock: false,
    description: Buffer.from('T'),
    rows: [Buffer.from('row1'), Buffer.from('row2')],
    position: 0,
  };
  const written: Buffer[] = [];
  const tags: string[] = [];
  const session = {
    cursors: new Map([['c', cursor]]),
    out: { writeRaw: (b: Buffer) => written.push(b) },
    complete: (tag: string) => tags.push(tag),
  } as unknown as SessionContext;
  return { session, written, tags };
}

describe('FETCH FORWARD 0 re-fetches the current row (https://www.postgresql.org/docs/current/sql-fetch.html)', () => {
  beforeAll(async () => {
    await loadModule();
  });

  it('before the first row it returns no rows and leaves the cursor where it was (pdo_pgsql after DECLARE)', async () => {
    const { session, written, tags } = sessionWithCursor();
    await runFetch(session, fetchNode('FETCH FORWARD 0 FROM c'), null, true);
    await runFetch(session, fetchNode('MOVE 0 IN c'), null, true);
    await runFetch(session, fetchNode('FETCH NEXT FROM c'), null, true);
    expect(tags).toEqual(['FETCH 0', 'MOVE 0', 'FETCH 1']);
    expect(written.map(String)).toEqual(['T', 'Trow1']);
  });

  it('once the cursor has moved, re-fetching the row already sent is refused with 0A000', async () => {
    const { session } = sessionWithCursor();
    await runFetch(session, fetchNode('FETCH 1 FROM c'), null, true);
    await expect(runFetch(session, fetchNode('FETCH 0 FROM c'), null, true)).rejects.toMatchObject({ code: '0A000' });
  });

  it('a negative forward count scans backward: refused as on a NO SCROLL cursor (55000)', async () => {
    const { session } = sessionWithCursor();
    await expect(runFetch(session, fetchNode('FETCH FORWARD -1 FROM c'), null, true)).rejects.toMatchObject({ code: '55000' });
  });
});
