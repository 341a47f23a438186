/**
 * pgcli (Debian package; psycopg 3 + pgspecial) driven headless through tmux: startup, the
 * background completion refresh (schemas, tables, columns, functions, types from the catalog),
 * table and column completion, a query, and \refresh.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { startTestGateway } from '../support/gateway.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';

const PROMPT = /tester@127:druid> *$/m;

describe('pgcli against the gateway on Druid', () => {
  let gateway: Gateway;
  let pgcli: TmuxSession;
  beforeAll(async () => {
    gateway = await startTestGateway();
    const dir = mkdtempSync(join(tmpdir(), 'pgcli-'));
    const rc = join(dir, 'config');
    writeFileSync(
      rc,
      ['[main]', 'smart_completion = True', 'enable_pager = False', 'less_chatty = True', `log_file = ${join(dir, 'log')}`, `history_file = ${join(dir, 'history')}`, 'log_level = DEBUG', ''].join('\n'),
    );
    pgcli = await startTmux(['pgcli', '--pgclirc', rc, `postgresql://tester@127.0.0.1:${gateway.port}/druid?sslmode=disable`], { HOME: dir });
  });
  afterAll(async () => {
    await pgcli.kill();
    await gateway.close();
  });

  /** Types text until the completion menu matches: the startup refresh runs in the background. */
  const complete = async (text: string, menu: RegExp): Promise<string> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await pgcli.send(text);
      try {
        return await pgcli.waitFor(menu, 2_000);
      } catch (error) {
        await pgcli.send('C-e', false);
        await pgcli.send('C-u', false);
        if (Date.now() > deadline) throw error;
      }
    }
  };

  it('starts and shows its prompt', async () => {
    await pgcli.waitFor(PROMPT);
  });

  it('completes table names from the catalog after the startup refresh (catalog)', async () => {
    const screen = await complete('SELECT * FROM ord', /orders\s+table/);
    expect(screen).toMatch(/^\s+orders\s+table\s*$/m);
    await pgcli.send('C-u', false);
    expect(await complete('SELECT * FROM "Koa', /"Koalas to the Max"\s+table/)).toMatch(/"Koalas to the Max"\s+table/);
    await pgcli.send('C-u', false);
  });

  it('completes column names of a table (catalog)', async () => {
    await pgcli.send('SELECT  FROM customers');
    for (let i = 0; i < ' FROM customers'.length; i++) await pgcli.send('Left', false);
    await pgcli.send('segm');
    expect(await pgcli.waitFor(/segment\s+column/)).toMatch(/segment\s+column/);
    await pgcli.send('C-e', false);
    await pgcli.send('C-u', false);
  });

  it('runs a query and prints the table', async () => {
    await pgcli.send('SELECT region, count(*) AS n FROM customers GROUP BY region ORDER BY region');
    await pgcli.send('Enter', false);
    const screen = await pgcli.waitFor(/SELECT 4/);
    expect(screen).toMatch(/\| region\s+\| n\s+\|/);
    expect(screen).toMatch(/\| east\s+\| \d+\s+\|/);
    expect(screen).toMatch(/\| west\s+\| \d+\s+\|/);
  });

  it('refreshes completions with \\refresh', async () => {
    await pgcli.send('\\refresh');
    await pgcli.send('Enter', false);
    await pgcli.waitFor(/Auto-completion refresh started in the background\./);
    expect(await complete('SELECT * FROM eve', /events\s+table/)).toMatch(/events\s+table/);
    await pgcli.send('C-u', false);
  });
});
