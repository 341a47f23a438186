import type { CatalogEngine, CatalogReply, CatalogSession, CatalogSessionInfo, StatementFacts } from '../../../src/catalog/types.js';
import { catalogFacts } from '../../../src/sql/catalog-facts.js';
import { parseSql } from '../../../src/sql/parser.js';
import type { SchemaSnapshot, TableInfo } from '../../../src/schema/snapshot.js';

/** A decoded backend message: code letter plus what the tests look at. */
export interface Decoded {
  code: string;
  fields?: { name: string; tableOid: number; typeOid: number; format: number }[];
  values?: (Buffer | null)[];
  tag?: string;
  error?: Record<string, string>;
}

/** Independent decoder of backend messages (protocol-message-formats). */
export function decode(bytes: Buffer): Decoded[] {
  const out: Decoded[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const code = String.fromCharCode(bytes[offset] as number);
    const end = offset + 1 + bytes.readInt32BE(offset + 1);
    const body = bytes.subarray(offset + 5, end);
    const message: Decoded = { code };
    if (code === 'T') {
      const count = body.readInt16BE(0);
      let p = 2;
      message.fields = [];
      for (let i = 0; i < count; i++) {
        const nul = body.indexOf(0, p);
        const name = body.toString('utf8', p, nul);
        p = nul + 1;
        message.fields.push({ name, tableOid: body.readUInt32BE(p), typeOid: body.readUInt32BE(p + 6), format: body.readInt16BE(p + 16) });
        p += 18;
      }
    } else if (code === 'D') {
      const count = body.readInt16BE(0);
      let p = 2;
      message.values = [];
      for (let i = 0; i < count; i++) {
        const len = body.readInt32BE(p);
        p += 4;
        message.values.push(len < 0 ? null : body.subarray(p, p + len));
        if (len > 0) p += len;
      }
    } else if (code === 'C') {
      message.tag = body.toString('utf8', 0, body.length - 1);
    } else if (code === 'E' || code === 'N') {
      message.error = {};
      let p = 0;
      while (body[p] !== 0 && p < body.length) {
        const nul = body.indexOf(0, p + 1);
        message.error[String.fromCharCode(body[p] as number)] = body.toString('utf8', p + 1, nul);
        p = nul + 1;
      }
    }
    out.push(message);
    offset = end;
  }
  return out;
}

export function codes(reply: CatalogReply): string {
  return decode(reply.bytes).map((m) => m.code).join('');
}

/** Text values of all DataRows. */
export function rows(reply: CatalogReply): (string | null)[][] {
  return decode(reply.bytes)
    .filter((m) => m.code === 'D')
    .map((m) => (m.values ?? []).map((v) => (v === null ? null : v.toString('utf8'))));
}

export function errorOf(reply: CatalogReply): Record<string, string> | undefined {
  return decode(reply.bytes).find((m) => m.code === 'E')?.error;
}

export async function query(session: CatalogSession, sql: string): Promise<(string | null)[][]> {
  const reply = await session.simpleQuery(sql);
  if (reply.failed) throw new Error(`query failed: ${JSON.stringify(errorOf(reply))}`);
  return rows(reply);
}

/** A session's identity; its mirror is the one refreshed under the database's name unless given. */
export function info(processId: number, user: string, database: string, settings: Map<string, string> = new Map(), mirror = database): CatalogSessionInfo {
  return { user, database, mirror, processId, settings: () => settings };
}

export async function open(engine: CatalogEngine, pid: number, user: string, database: string, settings?: Map<string, string>, mirror?: string) {
  return engine.openSession(info(pid, user, database, settings, mirror));
}

function table(name: string, columns: [string, string][]): TableInfo {
  return {
    name,
    columns: columns.map(([column, sqlType], i) => ({ name: column, ordinal: i + 1, sqlType, nativeType: null, nullable: column !== '__time' })),
  };
}

/** The four fixture tables (fixtures.md), with Druid SQL types. */
export function fixtureSnapshot(extra: TableInfo[] = []): SchemaSnapshot {
  const tables = [
    table('events', [
      ['__time', 'TIMESTAMP'],
      ['country', 'VARCHAR'],
      ['city', 'VARCHAR'],
      ['device', 'VARCHAR'],
      ['browser', 'VARCHAR'],
      ['user_id', 'VARCHAR'],
      ['path', 'VARCHAR'],
      ['status', 'BIGINT'],
      ['latency_ms', 'DOUBLE'],
      ['bytes', 'BIGINT'],
      ['session_key', 'BIGINT'],
      ['is_bot', 'BIGINT'],
      ['referrer', 'VARCHAR'],
    ]),
    table('orders', [
      ['__time', 'TIMESTAMP'],
      ['order_id', 'BIGINT'],
      ['customer_id', 'BIGINT'],
      ['amount', 'DOUBLE'],
      ['quantity', 'BIGINT'],
      ['status', 'VARCHAR'],
      ['coupon', 'VARCHAR'],
    ]),
    table('customers', [
      ['__time', 'TIMESTAMP'],
      ['customer_id', 'BIGINT'],
      ['name', 'VARCHAR'],
      ['segment', 'VARCHAR'],
      ['region', 'VARCHAR'],
    ]),
    table('Koalas to the Max', [
      ['__time', 'TIMESTAMP'],
      ['browser', 'VARCHAR'],
      ['continent', 'VARCHAR'],
      ['country', 'VARCHAR'],
      ['sessionLength', 'BIGINT'],
      ['loadTime', 'DOUBLE'],
    ]),
    ...extra,
  ];
  return { tables: new Map(tables.map((t) => [t.name, t])), loadedAt: 0 };
}

export { table };

/** What the gateway passes with a statement (src/sql/catalog-facts.ts); call initParser() first. */
export function factsOf(sql: string): StatementFacts {
  const [stmt] = parseSql(sql);
  if (stmt === undefined) throw new Error(`no statement in ${sql}`);
  return catalogFacts(stmt.ast);
}
