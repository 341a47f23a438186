import type pg from 'pg';

/** Value kinds the grammar types its expressions with. */
export type Kind = 'time' | 'text' | 'int' | 'float';

export interface Column {
  name: string;
  /** The column as SQL (quoted when needed). */
  sql: string;
  kind: Kind;
  nullable: boolean;
  /** Literal values taken from the data (as SQL), for filters that select something. */
  samples: string[];
}

export interface Table {
  name: string;
  sql: string;
  columns: Column[];
}

/** The fixture tables and their column kinds (docs/fixtures.md). */
const TABLES: ReadonlyArray<{ name: string; columns: ReadonlyArray<readonly [string, Kind]> }> = [
  {
    name: 'events',
    columns: [['__time', 'time'], ['country', 'text'], ['city', 'text'], ['device', 'text'], ['browser', 'text'], ['user_id', 'text'],
      ['path', 'text'], ['status', 'int'], ['latency_ms', 'float'], ['bytes', 'int'], ['session_key', 'int'], ['is_bot', 'int'], ['referrer', 'text']],
  },
  {
    name: 'orders',
    columns: [['__time', 'time'], ['order_id', 'int'], ['customer_id', 'int'], ['amount', 'float'], ['quantity', 'int'], ['status', 'text'], ['coupon', 'text']],
  },
  { name: 'customers', columns: [['__time', 'time'], ['customer_id', 'int'], ['name', 'text'], ['segment', 'text'], ['region', 'text']] },
  {
    name: 'Koalas to the Max',
    columns: [['__time', 'time'], ['browser', 'text'], ['continent', 'text'], ['country', 'text'], ['sessionLength', 'int'], ['loadTime', 'float']],
  },
];

/** Distinct values sampled per column (evenly spaced through the sorted values). */
const SAMPLES = 12;

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function quoteText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function literal(kind: Kind, value: string): string {
  switch (kind) {
    case 'text':
      return quoteText(value);
    case 'time':
      return `TIMESTAMPTZ ${quoteText(value)}`;
    default:
      return value;
  }
}

/** Reads the fixture tables' sample values from PostgreSQL (the twin), in a fixed order. */
export async function loadSchema(client: pg.Client): Promise<Table[]> {
  const tables: Table[] = [];
  for (const def of TABLES) {
    const tableSql = quoteIdent(def.name);
    const columns: Column[] = [];
    for (const [name, kind] of def.columns) {
      const col = quoteIdent(name);
      const text = kind === 'time' ? `to_char(c AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') || '+00'` : 'c::text';
      const result = await client.query<{ v: string; nulls: string }>({
        text: `WITH d AS (SELECT DISTINCT ${col} AS c FROM ${tableSql} WHERE ${col} IS NOT NULL),
               n AS (SELECT count(*) AS total FROM d),
               r AS (SELECT c, row_number() OVER (ORDER BY c) AS i FROM d)
               SELECT ${text} AS v, (SELECT count(*) FROM ${tableSql} WHERE ${col} IS NULL)::text AS nulls
               FROM r, n WHERE (i - 1) % greatest(1, total / ${SAMPLES}) = 0 ORDER BY c LIMIT ${SAMPLES}`,
      });
      const nullable = result.rows[0] === undefined ? true : result.rows[0].nulls !== '0';
      columns.push({ name, sql: col, kind, nullable, samples: result.rows.map((r) => literal(kind, r.v)) });
    }
    tables.push({ name: def.name, sql: tableSql, columns });
  }
  return tables;
}
