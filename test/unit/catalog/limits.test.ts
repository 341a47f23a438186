/**
 * A runaway catalog statement: it runs in PGlite's worker thread, so the gateway's thread stays
 * free; past the time limit the engine is restarted and every session goes on with its mirror; an
 * oversized reply fails with 54000 instead of growing the gateway's memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogEngine } from '../../../src/catalog/pglite-engine.js';
import type { CatalogEngine } from '../../../src/catalog/types.js';
import { errorOf, fixtureSnapshot, open, query } from './helpers.js';

const DB = 'limits';
const TIMEOUT_MS = 1500;
const MAX_REPLY_BYTES = 1024 * 1024;
/** Long enough to pass TIMEOUT_MS many times over (PGlite counts about 4M rows a second here). */
const RUNAWAY = 'SELECT count(*) FROM generate_series(1, 2000000000)';
const TABLES = `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1`;

let engine: CatalogEngine;

beforeAll(async () => {
  engine = await createCatalogEngine({ timeoutMs: TIMEOUT_MS, maxReplyBytes: MAX_REPLY_BYTES });
  await engine.refresh(DB, fixtureSnapshot());
});

afterAll(async () => {
  await engine.close();
});

describe('catalog limits', () => {
  it('a statement past the time limit fails with 57014; the engine restarts with its mirrors, roles and settings', async () => {
    const before = await open(engine, 301, 'alice', DB, new Map([['timezone', 'Asia/Tokyo']]));
    const runner = await open(engine, 302, 'bob', DB);
    expect(await query(before, TABLES)).toEqual([['Koalas to the Max'], ['customers'], ['events'], ['orders']]);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const failed = await runner.simpleQuery(RUNAWAY, true).catch((error: unknown) => error);
    clearInterval(ticker);
    // The gateway's thread ran timers all along.
    expect(ticks).toBeGreaterThan(10);
    expect(failed).toMatchObject({ code: '57014', message: 'canceling statement due to catalog timeout' });
    // A session from before the restart: its role, settings and mirror are back.
    expect(await query(before, `SELECT current_user, current_setting('TimeZone')`)).toEqual([['alice', 'Asia/Tokyo']]);
    expect(await query(before, TABLES)).toEqual([['Koalas to the Max'], ['customers'], ['events'], ['orders']]);
    expect(await query(runner, 'SELECT current_user')).toEqual([['bob']]);
    await before.end();
    await runner.end();
  });

  it('a reply over the size limit fails with 54000 and the session goes on', async () => {
    const s = await open(engine, 303, 'carol', DB);
    const reply = await s.simpleQuery(`SELECT repeat('x', 1000) FROM generate_series(1, 5000)`, true);
    expect(reply.failed).toBe(true);
    expect(errorOf(reply)).toMatchObject({ C: '54000', M: `catalog result exceeds ${MAX_REPLY_BYTES} bytes` });
    expect(await query(s, 'SELECT 1')).toEqual([['1']]);
    await s.end();
  });
});
