import pg from 'pg';
import { instanceOf } from '../../src/server/registry.js';

/** One kind of statement the workload runs, with the row count a whole answer has. */
interface Job {
  name: string;
  run(client: pg.Client): Promise<number>;
}

export interface WorkloadStats {
  ok: number;
  /** Failed queries: SQLSTATE (or the driver's message when there is none) and the instance. */
  errors: Array<{ code: string; instance: number }>;
  /** Answers with fewer or more rows than the whole answer and no error. */
  wrongCounts: Array<{ job: string; rows: number; expected: number }>;
  /** Connection attempts that failed, with when each began (Date.now()). */
  connectErrors: Array<{ message: string; startedAt: number }>;
}

/** Row counts of the fixture tables (small fixtures, seed 1: docs/fixtures.md). */
export interface Expected {
  events: number;
  orders: number;
  countries: number;
}

const CURSOR_BATCH = 1000;
/** node-postgres' message for a query on a connection that already failed (pg/lib/client.js). */
const NOT_QUERYABLE = 'Client has encountered a connection error and is not queryable';

export function jobs(expected: Expected): Array<Job & { expected: number }> {
  return [
    { name: 'aggregate', expected: expected.countries, run: async (c) => (await c.query('SELECT country, count(*) AS n FROM events GROUP BY country')).rowCount ?? -1 },
    { name: 'scan', expected: expected.events, run: async (c) => (await c.query('SELECT * FROM events')).rowCount ?? -1 },
    {
      name: 'cursor',
      expected: expected.orders,
      run: async (c) => {
        await c.query('BEGIN');
        await c.query('DECLARE w CURSOR FOR SELECT order_id, amount FROM orders');
        let total = 0;
        for (;;) {
          const n = (await c.query(`FETCH ${CURSOR_BATCH} FROM w`)).rowCount ?? 0;
          total += n;
          if (n < CURSOR_BATCH) break;
        }
        await c.query('COMMIT');
        return total;
      },
    },
  ];
}

/**
 * `clients` connections that run the jobs in turn until `running()` is false; a connection that
 * failed or was closed is replaced by a new one (as a pool does). The instance a client is on is
 * read from its BackendKeyData process ID, whose top bits are the --instance-id
 * (src/server/registry.ts): no catalog statement per connection beyond what the jobs run.
 */
export async function runWorkload(url: string, clients: number, expected: Expected, running: () => boolean): Promise<WorkloadStats> {
  const stats: WorkloadStats = { ok: 0, errors: [], wrongCounts: [], connectErrors: [] };
  const all = jobs(expected);
  const worker = async (index: number): Promise<void> => {
    let client: pg.Client | null = null;
    let broken = false;
    let instance = -1;
    /** Why the server closed the connection between queries (the 'error' event), e.g. 57P01. */
    let closedBy = '';
    for (let turn = index; running(); turn++) {
      if (client === null || broken) {
        client?.end().catch(() => undefined);
        broken = false;
        client = new pg.Client({ connectionString: url });
        closedBy = '';
        const startedAt = Date.now();
        client.on('error', (err: Error & { code?: string }) => {
          broken = true;
          closedBy = err.code ?? err.message;
        });
        try {
          await client.connect();
        } catch (err) {
          stats.connectErrors.push({ message: (err as Error).message, startedAt });
          client = null;
          await new Promise((done) => setTimeout(done, 100));
          continue;
        }
        instance = instanceOf((client as unknown as { processID: number }).processID);
      }
      const job = all[turn % all.length] as Job & { expected: number };
      try {
        const rows = await job.run(client);
        if (rows === job.expected) stats.ok++;
        else stats.wrongCounts.push({ job: job.name, rows, expected: job.expected });
      } catch (err) {
        // A query started just after the server closed the idle connection is refused by the driver
        // without being sent: what failed it is the close, whose SQLSTATE the 'error' event carried.
        const refused = (err as Error).message === NOT_QUERYABLE && closedBy !== '';
        stats.errors.push({ code: refused ? closedBy : ((err as { code?: string }).code ?? (err as Error).message), instance });
        broken = true;
      }
    }
    await client?.end().catch(() => undefined);
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => worker(i)));
  return stats;
}
