/**
 * A catalog statement that runs for a long time holds only the catalog: other connections' data
 * queries go on meanwhile, and past --catalog-timeout-ms the statement fails with 57014 while its
 * connection stays usable.
 */
import { describe, expect, it } from 'vitest';
import { oneRow, useFakeGateway } from '../../support/fake-gateway.js';
import { textClient } from '../../support/pg.js';

const RUNAWAY = 'SELECT count(*) FROM generate_series(1, 2000000000)';

const ctx = useFakeGateway({ scenario: oneRow, catalog: true, config: { catalogTimeoutMs: 1500 } });

describe('a runaway catalog statement', () => {
  it('does not hold up data queries on other connections, and fails with 57014 past the limit', async () => {
    const analyst = textClient(`postgresql://analyst@127.0.0.1:${ctx.gateway.port}/druid`);
    const dashboard = textClient(`postgresql://grafana@127.0.0.1:${ctx.gateway.port}/druid`);
    await analyst.connect();
    await dashboard.connect();
    await analyst.query('SELECT 1');
    const order: string[] = [];
    const runaway = analyst.query(RUNAWAY).then(
      () => order.push('runaway finished'),
      (error: unknown) => {
        order.push('runaway failed');
        return error;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; i < 3; i++) {
      expect((await dashboard.query('SELECT * FROM t')).rows).toHaveLength(1);
      order.push('data query');
    }
    const error = await runaway;
    expect(order).toEqual(['data query', 'data query', 'data query', 'runaway failed']);
    expect(error).toMatchObject({ code: '57014', message: 'canceling statement due to catalog timeout' });
    expect((await analyst.query('SELECT current_user AS u')).rows).toEqual([{ u: 'analyst' }]);
    const metrics = await ctx.gateway.context.metrics.registry.metrics();
    expect(metrics).toMatch(/^polaris_pg_catalog_restarts_total\{reason="timeout"\} 1$/m);
    await analyst.end();
    await dashboard.end();
  });
});
