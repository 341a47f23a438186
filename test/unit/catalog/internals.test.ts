/**
 * The engine's own bookkeeping as clients see it: pg_cancel_backend / pg_terminate_backend reach
 * the gateway without a table of their own (a notice the gateway takes out of the reply), a notice
 * a client raises itself signals nothing it could not signal anyway, and the engine's tables carry
 * no constraints or indexes for constraint listings to show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogEngine } from '../../../src/catalog/pglite-engine.js';
import type { CatalogEngine } from '../../../src/catalog/types.js';
import { decode, fixtureSnapshot, open, query } from './helpers.js';

const DB = 'fixtures';
const START = new Date('2026-01-01T00:00:00Z');
const forged = (pid: number) => `DO $$ BEGIN RAISE NOTICE 'polaris signal' USING ERRCODE = 'PXSIG', DETAIL = '${pid} terminate'; END $$`;

let engine: CatalogEngine;
const signals: [number, string][] = [];

beforeAll(async () => {
  engine = await createCatalogEngine();
  engine.onSignal((pid, action) => signals.push([pid, action]));
  await engine.refresh(DB, fixtureSnapshot());
}, 120_000);

afterAll(async () => {
  await engine.close();
});

describe('engine bookkeeping', () => {
  it('pg_terminate_backend hands the request on; its notice never reaches the client', async () => {
    engine.setActivity(401, { user: 'alice', database: DB, applicationName: '', state: 'idle', query: '', backendStart: START });
    const a = await open(engine, 402, 'alice', DB);
    const reply = await a.simpleQuery('SELECT pg_terminate_backend(401)');
    expect(decode(reply.bytes).map((m) => m.code)).toEqual(['T', 'D', 'C']);
    expect(signals.splice(0)).toEqual([[401, 'terminate']]);
    await a.end();
  });

  it("a client's own notice with the signal SQLSTATE signals only what the client may signal", async () => {
    engine.setActivity(411, { user: 'alice', database: DB, applicationName: '', state: 'idle', query: '', backendStart: START });
    const bob = await open(engine, 412, 'bob', DB);
    const reply = await bob.simpleQuery(forged(411));
    expect(reply.failed).toBe(false);
    expect(decode(reply.bytes).map((m) => m.code)).toEqual(['C']);
    expect(signals.splice(0)).toEqual([]);
    const alice = await open(engine, 413, 'alice', DB);
    await alice.simpleQuery(forged(411));
    expect(signals.splice(0)).toEqual([[411, 'terminate']]);
    await bob.end();
    await alice.end();
  });

  it('no table of signals; the engine tables have no constraints or indexes', async () => {
    const s = await open(engine, 421, 'alice', DB);
    expect(await query(s, `SELECT relname, relkind FROM pg_class WHERE relname LIKE 'polaris\\_%' AND relkind <> 'r'`)).toEqual([]);
    expect(await query(s, `SELECT count(*) FROM pg_class WHERE relname = 'polaris_signals'`)).toEqual([['0']]);
    expect(await query(s, `SELECT count(*) FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid WHERE r.relname LIKE 'polaris\\_%'`)).toEqual([['0']]);
    await s.end();
  });
});
