/**
 * The engine's own bookkeeping as clients see it: pg_cancel_backend / pg_terminate_backend reach
 * the gateway without a table of their own (a notice the gateway takes out of the reply), a notice
 * a client raises itself signals nothing it could not signal anyway, and the engine keeps its state
 * in no relation (pg_class, pg_attribute, pg_type, pg_constraint and pg_depend list none of its
 * own), nor lets a client read another role's session through its functions or files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogEngine } from '../../../src/catalog/pglite-engine.js';
import type { CatalogEngine } from '../../../src/catalog/types.js';
import { decode, errorOf, fixtureSnapshot, open, query } from './helpers.js';

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

  it('no relation of the engine: the built-in schemas hold only what initdb made, no polaris_ relation, type, attribute or constraint', async () => {
    engine.setActivity(421, { user: 'alice', database: DB, applicationName: '', state: 'idle', query: 'SELECT 1', backendStart: START });
    const s = await open(engine, 421, 'alice', DB);
    // pg_stat_activity was read, so the activity the engine keeps exists now.
    expect(await query(s, 'SELECT pid FROM pg_stat_activity WHERE pid = 421')).toEqual([['421']]);
    // FirstNormalObjectId (16384): every object initdb creates has a lower OID.
    const late = `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid >= 16384 AND n.nspname IN ('pg_catalog', 'information_schema', 'pg_toast')`;
    expect(await query(s, late)).toEqual([]);
    expect(await query(s, `SELECT count(*) FROM pg_class WHERE relname LIKE 'polaris\\_%'`)).toEqual([['0']]);
    expect(await query(s, `SELECT count(*) FROM pg_type WHERE typname LIKE '%polaris\\_%'`)).toEqual([['0']]);
    expect(await query(s, `SELECT count(*) FROM pg_attribute a WHERE a.attrelid >= 16384 AND NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = a.attrelid AND c.relnamespace = 'public'::regnamespace)`)).toEqual([['0']]);
    expect(await query(s, `SELECT count(*) FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid >= 16384 AND NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = d.objid AND c.relnamespace = 'public'::regnamespace)`)).toEqual([['0']]);
    expect(await query(s, `SELECT count(*) FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid WHERE r.relname LIKE 'polaris\\_%'`)).toEqual([['0']]);
    await s.end();
  });

  it("the engine's sessions function and files show a client no more than pg_stat_activity does", async () => {
    engine.setActivity(431, { user: 'carol', database: DB, applicationName: 'app', state: 'active', query: "SELECT 'secret'", backendStart: START });
    const bob = await open(engine, 432, 'bob', DB);
    expect(await query(bob, 'SELECT usename, state, query FROM pg_catalog.polaris_sessions() WHERE pid = 431')).toEqual([['carol', null, '<insufficient privilege>']]);
    expect(await query(bob, 'SELECT usename, state, query FROM pg_stat_activity WHERE pid = 431')).toEqual([['carol', null, '<insufficient privilege>']]);
    const read = await bob.simpleQuery("SELECT pg_read_file('polaris_activity')");
    expect(read.failed).toBe(true);
    expect(errorOf(read)?.C).toBe('42501');
    const carol = await open(engine, 433, 'carol', DB);
    expect(await query(carol, 'SELECT state, query FROM pg_stat_activity WHERE pid = 431')).toEqual([['active', "SELECT 'secret'"]]);
    await bob.end();
    await carol.end();
  });
});
