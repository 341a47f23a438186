import { C, SqlColumn, SqlStar, T, type SqlExpression } from 'druid-query-toolkit';
import { SqlState } from '../../errors/sqlstate.js';
import type { ResultType } from '../types.js';
import { failAt, refuse, type State } from './state.js';
import type { DruidType, Typed } from './typing.js';

/** One column visible through a FROM item. */
export interface ScopeColumn {
  name: string;
  type: DruidType | undefined;
  nullable: boolean;
  /** A `timestamp without time zone` (see Typed.naive). */
  naive?: boolean;
  /** PostgreSQL's type where Druid reports another (Typed.result). */
  result?: ResultType;
}

/** A FROM item: a table, a subquery or a CTE reference, under the name queries use for it. */
export interface RangeEntry {
  /** Name used to qualify its columns (the alias, else the relation name). */
  refName: string;
  columns: ScopeColumn[];
}

/** The FROM items of one SELECT level (correlated references to outer levels are not supported). */
export class Scope {
  readonly entries: RangeEntry[] = [];
  /** True when a RIGHT JOIN was written as a LEFT JOIN with its sides swapped (from.ts). */
  swappedJoin = false;
  /** Columns merged by JOIN .. USING: the entry an unqualified name takes among the joined two (join-using.ts). */
  readonly merged = new Map<string, { entry: RangeEntry; sides: readonly RangeEntry[] }>();

  /** `outer`: the enclosing query's scope, for subqueries in expressions (correlation is refused). */
  constructor(
    readonly ctes: ReadonlyMap<string, ScopeColumn[]>,
    private readonly outer?: Scope,
  ) {}

  add(entry: RangeEntry): void {
    this.entries.push(entry);
  }

  /** Qualify output columns with their FROM item only when several items are visible. */
  private qualify(entry: RangeEntry, name: string): SqlColumn {
    return this.entries.length > 1 ? SqlColumn.create(name, T(entry.refName)) : C(name);
  }

  /** Resolves a ColumnRef's fields; undefined when an unqualified name matches nothing. */
  resolve(state: State, fields: string[], location: unknown): Typed | undefined {
    if (fields.length === 1) {
      const name = fields[0] ?? '';
      const matches = this.entries.flatMap((entry) =>
        entry.columns.filter((c) => c.name === name).map((column) => ({ entry, column })),
      );
      const merged = this.merged.get(name);
      if (merged !== undefined && matches.length > 1 && matches.every((m) => merged.sides.includes(m.entry))) {
        const column = merged.entry.columns.find((c) => c.name === name);
        if (column !== undefined) return { ex: this.qualify(merged.entry, name), ...columnType(column) };
      }
      if (matches.length > 1) {
        throw failAt(state, SqlState.AmbiguousColumn, `column reference "${name}" is ambiguous`, location);
      }
      const match = matches[0];
      if (match === undefined) {
        if (this.outer?.knows(fields)) throw correlated(state, location);
        return undefined;
      }
      return { ex: this.qualify(match.entry, name), ...columnType(match.column) };
    }
    if (fields.length === 2) {
      const [rel = '', name = ''] = fields;
      const entry = this.entryNamed(state, rel, location);
      const column = entry.columns.find((c) => c.name === name);
      if (column === undefined) {
        throw failAt(state, SqlState.UndefinedColumn, `column ${rel}.${name} does not exist`, location, this.hint(name));
      }
      return { ex: SqlColumn.create(name, T(entry.refName)), ...columnType(column) };
    }
    throw failAt(state, SqlState.FeatureNotSupported, `column reference "${fields.join('.')}" is not supported by polaris-pg`, location, 'Qualify columns with at most a table name or alias.');
  }

  /** `*` or `rel.*`, with the columns it stands for and an unambiguous reference to each. */
  star(state: State, rel: string | undefined, location: unknown): { ex: SqlExpression; columns: ScopeColumn[]; refs: SqlColumn[] } {
    if (rel === undefined) {
      // Druid would list the swapped sides' columns in its own FROM order.
      if (this.swappedJoin) throw refuse(state, 'SELECT * over a RIGHT JOIN', location, 'List the columns, or select rel.* of each side.');
      // PostgreSQL lists the merged columns first.
      if (this.merged.size > 0) throw refuse(state, 'SELECT * over a JOIN .. USING', location, 'List the columns, or select rel.* of each side.');
      return {
        ex: SqlStar.PLAIN,
        columns: this.entries.flatMap((e) => e.columns),
        refs: this.entries.flatMap((e) => e.columns.map((c) => this.qualify(e, c.name))),
      };
    }
    const entry = this.entryNamed(state, rel, location);
    return { ex: SqlStar.create(T(entry.refName)), columns: entry.columns, refs: entry.columns.map((c) => SqlColumn.create(c.name, T(entry.refName))) };
  }

  /** 42703 for an unresolved unqualified column, with PostgreSQL's case hint. */
  undefinedColumn(state: State, name: string, location: unknown): Error {
    return failAt(state, SqlState.UndefinedColumn, `column "${name}" does not exist`, location, this.hint(name));
  }

  /** True when this scope or an enclosing one has the (qualified) column. */
  knows(fields: string[]): boolean {
    const [first = '', second] = fields;
    const own = second === undefined
      ? this.entries.some((e) => e.columns.some((c) => c.name === first))
      : this.entries.some((e) => e.refName === first && e.columns.some((c) => c.name === second));
    return own || (this.outer?.knows(fields) ?? false);
  }

  private entryNamed(state: State, rel: string, location: unknown): RangeEntry {
    const entry = this.entries.find((e) => e.refName === rel);
    if (entry === undefined) {
      if (this.outer?.hasEntry(rel) === true) throw correlated(state, location);
      throw failAt(state, SqlState.UndefinedTable, `missing FROM-clause entry for table "${rel}"`, location);
    }
    return entry;
  }

  /** True when this scope or an enclosing one has a FROM item named `rel`. */
  hasEntry(rel: string): boolean {
    return this.entries.some((e) => e.refName === rel) || (this.outer?.hasEntry(rel) ?? false);
  }

  private hint(name: string): string | undefined {
    const lower = name.toLowerCase();
    for (const entry of this.entries) {
      const match = entry.columns.find((c) => c.name.toLowerCase() === lower && c.name !== name);
      if (match !== undefined) {
        // PostgreSQL qualifies the suggestion with the FROM item's name (parse_relation.c).
        return `Perhaps you meant to reference the column "${entry.refName}.${match.name}".`;
      }
    }
    return undefined;
  }
}

/** The type facts of a column for the Typed of a reference to it. */
function columnType(column: ScopeColumn): Omit<Typed, 'ex'> {
  return { type: column.type, nullable: column.nullable, ...(column.naive === true ? { naive: true } : {}), ...(column.result === undefined ? {} : { result: column.result }) };
}

function correlated(state: State, location: unknown): Error {
  return refuse(state, 'correlated subqueries', location, 'Druid runs subqueries independently: join the subquery in FROM on the correlated columns instead.');
}
