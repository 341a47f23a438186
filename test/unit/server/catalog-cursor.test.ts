/**
 * DECLARE over a catalog query: the query is cut from the statement after PostgreSQL's FOR token
 * (src/sql/declare-query.ts), so a "for" inside the cursor's quoted name or a comment is not taken
 * for it, as PostgreSQL's own parser does not.
 */
import { describe, expect, it } from 'vitest';
import { oneRow, useFakeGateway } from '../../support/fake-gateway.js';
import { textClient } from '../../support/pg.js';

const ctx = useFakeGateway({ scenario: oneRow, catalog: true });

describe('DECLARE over a catalog query', () => {
  it('reads the query after the FOR keyword, not after a "for" in the name or a comment', async () => {
    const client = textClient(`postgresql://analyst@127.0.0.1:${ctx.gateway.port}/druid`);
    await client.connect();
    await client.query('BEGIN');
    await client.query(`DECLARE "cursor for x" CURSOR FOR SELECT 'for' AS v`);
    expect((await client.query('FETCH ALL FROM "cursor for x"')).rows).toEqual([{ v: 'for' }]);
    await client.query(`DECLARE c NO SCROLL CURSOR /* for now */ FOR SELECT relname AS v FROM pg_class WHERE relname = 'pg_class'`);
    expect((await client.query('FETCH ALL FROM c')).rows).toEqual([{ v: 'pg_class' }]);
    await client.query('COMMIT');
    await client.end();
  });
});
