import { describe, expect, it } from 'vitest';
import { oneRow, useFakeGateway } from '../../support/fake-gateway.js';
import { connectionString } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';

/** DISCARD TEMP and DISCARD ALL reach the session's catalog temp tables (Tableau's probe tables). */
describe('DISCARD', () => {
  const ctx = useFakeGateway({ scenario: oneRow, catalog: true });

  for (const command of ['DISCARD TEMP', 'DISCARD ALL']) {
    it(`${command} drops this session's temp tables`, async () => {
      const client = textClient(connectionString(ctx.gateway));
      await client.connect();
      await client.query('CREATE LOCAL TEMPORARY TABLE "#Tableau_1_Connect" ("COL" INTEGER) ON COMMIT PRESERVE ROWS');
      await client.query('INSERT INTO "#Tableau_1_Connect" SELECT 1');
      expect((await client.query('SELECT count(*) AS n FROM "#Tableau_1_Connect"')).rows).toEqual([{ n: '1' }]);
      await client.query("SET application_name = 'probe'");
      const r = await client.query(command);
      expect(r.command).toBe(command.split(' ')[0]);
      await expect(client.query('SELECT count(*) FROM "#Tableau_1_Connect"')).rejects.toMatchObject({ code: '42P01' });
      const name = (await client.query('SHOW application_name')).rows[0] as { application_name: string };
      expect(name.application_name).toBe(command === 'DISCARD ALL' ? '' : 'probe');
      await client.end();
    });
  }
});
