/**
 * Temp relations per session. PGlite has one backend, hence one temp schema (pg_temp_N) for every
 * client, searched before pg_catalog; PostgreSQL gives each session its own. So the temp relations
 * of sessions other than the one whose request runs are parked: renamed to `polaris_parked_<oid>`,
 * a name no client statement looks up, and renamed back before their session's next request.
 * A session's `CREATE TEMP TABLE pg_tables (...)` then shadows pg_catalog.pg_tables for that session
 * only, and two sessions may each have a temp table `t`. Relations are tracked by OID, so a client's
 * ALTER TABLE ... RENAME is followed. Parked relations stay listed in pg_class under the parked
 * name, as another session's temp tables are listed (under pg_temp_M) on PostgreSQL.
 * https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-SEARCH-PATH
 */
import type { EngineHost } from './engine-host.js';
import { quoteIdent } from './mirror.js';
import { textRows } from '../wire/backend-reader.js';

const PARKED_PREFIX = 'polaris_parked_';
/** Relation kinds ALTER TABLE ... RENAME takes (tables, views, sequences, indexes); composite types are left alone. */
const RENAMED_KINDS = "('r', 'p', 'v', 'm', 'S', 'f', 'i', 'I')";
/** Kinds dropped at session end: dropping a table drops its indexes, its row type and owned sequences. */
const DROP_KIND: Readonly<Record<string, string>> = { r: 'TABLE', p: 'TABLE', v: 'VIEW', m: 'MATERIALIZED VIEW', S: 'SEQUENCE', f: 'FOREIGN TABLE' };

interface TempRelation {
  pid: number;
  /** The name its session sees. */
  name: string;
  kind: string;
}

function parkedName(oid: string): string {
  return `${PARKED_PREFIX}${oid}`;
}

function renameSql(from: string, to: string): string {
  return `ALTER TABLE pg_temp.${quoteIdent(from)} RENAME TO ${quoteIdent(to)};`;
}

export class SessionTemps {
  /** OID -> relation, for every temp relation a session made. */
  readonly #relations = new Map<string, TempRelation>();
  /** The session whose relations carry their own names (the others' are parked); null: none. */
  #resident: number | null = null;

  constructor(private readonly host: EngineHost) {
    host.whenLost(() => {
      this.#relations.clear();
      this.#resident = null;
    });
  }

  /**
   * SQL (run as the engine's superuser) that parks the resident session's relations and gives
   * `pid`'s theirs back, or null when nothing needs renaming. Call switched() once it ran (a
   * failed switch rolls back, leaving the residency as it was).
   */
  switchSql(pid: number): string | null {
    if (this.#resident === pid) return null;
    const parts: string[] = [];
    for (const [oid, relation] of this.#relations) {
      if (relation.pid === this.#resident) parts.push(renameSql(relation.name, parkedName(oid)));
    }
    for (const [oid, relation] of this.#relations) {
      if (relation.pid === pid) parts.push(renameSql(parkedName(oid), relation.name));
    }
    if (parts.length === 0) {
      this.#resident = pid;
      return null;
    }
    return parts.join('\n');
  }

  /** The SQL of switchSql(pid) ran. */
  switched(pid: number): void {
    this.#resident = pid;
  }

  /**
   * After a statement of the resident session `pid` that may have changed the catalog: its new,
   * renamed and dropped temp relations. Returns whether anything changed.
   */
  async track(pid: number): Promise<boolean> {
    const frames = await this.host.sql(
      `SELECT c.oid, c.relname, c.relkind FROM pg_catalog.pg_class c WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relkind IN ${RENAMED_KINDS}`,
      'temp relations',
    );
    const present = new Map(textRows(frames).map(([oid, name, kind]) => [oid ?? '', { name: name ?? '', kind: kind ?? 'r' }]));
    let changed = false;
    for (const oid of this.#relations.keys()) {
      if (!present.has(oid)) {
        this.#relations.delete(oid);
        changed = true;
      }
    }
    for (const [oid, { name, kind }] of present) {
      const known = this.#relations.get(oid);
      if (known === undefined && !name.startsWith(PARKED_PREFIX)) {
        this.#relations.set(oid, { pid, name, kind });
        changed = true;
      } else if (known !== undefined && known.pid === pid && known.name !== name) {
        known.name = name;
        changed = true;
      }
    }
    return changed;
  }

  /** Whether session `pid` holds temp relations. */
  holdsAny(pid: number): boolean {
    for (const relation of this.#relations.values()) {
      if (relation.pid === pid) return true;
    }
    return false;
  }

  /** SQL that drops a session's temp relations (DISCARD TEMP, end of session), or null when it has none. */
  dropSql(pid: number): string | null {
    const drops: string[] = [];
    for (const [oid, relation] of this.#relations) {
      if (relation.pid !== pid) continue;
      this.#relations.delete(oid);
      const kind = DROP_KIND[relation.kind];
      // Indexes go with their tables.
      if (kind === undefined) continue;
      const name = this.#resident === pid ? relation.name : parkedName(oid);
      drops.push(`DROP ${kind} IF EXISTS pg_temp.${quoteIdent(name)} CASCADE;`);
    }
    return drops.length === 0 ? null : drops.join('\n');
  }
}
