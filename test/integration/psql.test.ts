import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';
import { psql } from '../support/psql.js';

describe('psql against the gateway on Druid', () => {
  let gateway: Gateway;
  let url: string;
  beforeAll(async () => {
    gateway = await startTestGateway();
    url = `${connectionString(gateway)}?sslmode=disable`;
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('runs a grouped SELECT and prints the same rows as PostgreSQL', async () => {
    const sql = 'SELECT country, count(*) AS n, sum(bytes) FROM events GROUP BY country ORDER BY n DESC, country LIMIT 5';
    const expected = await psql(postgresUrl(), ['-At', '-c', sql]);
    const actual = await psql(url, ['-At', '-c', sql]);
    expect(actual.stderr).toBe('');
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.stdout.split('\n').filter(Boolean)).toHaveLength(5);
  });

  it('prints the aligned table with headers like PostgreSQL', async () => {
    const sql = 'SELECT device, count(*) AS views FROM events GROUP BY device ORDER BY device';
    const expected = await psql(postgresUrl(), ['-c', sql]);
    const actual = await psql(url, ['-c', sql]);
    expect(actual.stdout).toBe(expected.stdout);
  });

  it('streams through a cursor with \\set FETCH_COUNT 100', async () => {
    const sql = 'SELECT user_id, count(*) AS n, max(__time) FROM events GROUP BY user_id ORDER BY user_id';
    const expected = await psql(postgresUrl(), ['-At', '-c', sql]);
    const actual = await psql(url, ['-At', '-v', 'FETCH_COUNT=100', '-c', sql]);
    expect(actual.stderr).toBe('');
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(1000);
  });

  it('reports a bad query and keeps the session usable', async () => {
    const script = 'SELECT nope FROM events;\nSELECT count(*) FROM events;\n';
    const actual = await psql(url, ['-At'], script);
    expect(actual.stderr).toContain('ERROR:  column "nope" does not exist');
    expect(actual.stdout.trim()).toBe('10000');
  });

  it('reports an unknown table with 42P01 and the position, as PostgreSQL does', async () => {
    const actual = await psql(url, ['-At', '-v', 'VERBOSITY=verbose', '-c', 'SELECT * FROM nosuch']);
    expect(actual.stderr).toContain('ERROR:  42P01: relation "nosuch" does not exist');
    expect(actual.stderr).toContain('LINE 1: SELECT * FROM nosuch');
  });

  it('keeps a failed transaction block failed until ROLLBACK', async () => {
    const script = 'BEGIN;\nSELECT nope FROM events;\nSELECT 1;\nROLLBACK;\nSELECT count(*) FROM orders;\n';
    const actual = await psql(url, ['-At'], script);
    expect(actual.stderr).toContain('current transaction is aborted, commands ignored until end of transaction block');
    expect(actual.stdout.trim()).toBe('5000');
  });

  it('answers SET and SHOW', async () => {
    const actual = await psql(url, ['-At'], "SET TimeZone = 'America/New_York';\nSHOW TimeZone;\nSET statement_timeout = 30000;\nSHOW statement_timeout;\n");
    expect(actual.stdout).toBe('America/New_York\n30s\n');
  });

  it('renders timestamptz in the session time zone like PostgreSQL', async () => {
    const sql = 'SELECT min(__time), max(__time) FROM orders';
    const env = { PGTZ: 'America/New_York' };
    const expected = await psql(postgresUrl(), ['-At', '-c', sql], undefined, env);
    const actual = await psql(url, ['-At', '-c', sql], undefined, env);
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.stdout).toMatch(/-0[45]\|/);
  });
});
