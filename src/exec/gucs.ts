import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { defs, normalizeDateStyle, type GucDef } from './guc-defs.js';

/** Startup-only settings PostgreSQL accepts in the StartupMessage but that are not GUCs. */
const STARTUP_ONLY = new Set(['user', 'database', 'options', 'replication']);

/** GUC state of one session, with transaction-scoped undo for SET inside a transaction block. */
export class GucStore {
  private readonly defs = new Map<string, GucDef>();
  private readonly values = new Map<string, string>();
  /** Values as of BEGIN, restored by ROLLBACK; null outside a transaction block. */
  private txSnapshot: Map<string, string> | null = null;
  /** Values before SET LOCAL, restored at the end of the transaction. */
  private localUndo: Map<string, string | null> | null = null;
  /**
   * Values before SET LOCAL outside a transaction block, restored when the implicit transaction
   * ends: at the end of the Query message, or at Sync in the extended protocol.
   */
  private implicitUndo: Map<string, string | null> | null = null;
  /** Names of reported GUCs changed since the last drain, for ParameterStatus. */
  private readonly changedReported = new Set<string>();
  /** The value of each reported GUC the client was last sent. */
  private readonly lastReported = new Map<string, string>();
  private readonly resetValues = new Map<string, string>();
  /** Spelling of custom (dotted) parameters as first set, for SHOW and the Druid context. */
  private readonly customNames = new Map<string, string>();

  /** backendKind decides whether polaris.query_mode = async is accepted (default: Druid, refused). */
  constructor(serverVersion: string, serverVersionNum: string, backendKind: 'druid' | 'polaris' = 'druid') {
    for (const def of defs(serverVersion, serverVersionNum, backendKind)) {
      this.defs.set(def.name.toLowerCase(), def);
      this.values.set(def.name.toLowerCase(), def.value);
    }
  }

  /** Applies a startup parameter (or `-c name=value` from options) as the session default. */
  applyStartup(name: string, value: string): void {
    const key = name.toLowerCase();
    if (STARTUP_ONLY.has(key) || key.startsWith('_pq_.')) return;
    const def = this.defs.get(key);
    if (def?.readonly && key !== 'session_authorization') return;
    if (key === 'session_authorization') {
      this.values.set(key, value);
    } else {
      this.set(name, value, false);
    }
    this.resetValues.set(key, this.values.get(key) ?? value);
  }

  canonicalName(name: string): string {
    const key = name.toLowerCase();
    return this.defs.get(key)?.name ?? this.customNames.get(key) ?? key;
  }

  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase());
  }

  /** SHOW name: the value, or 42704 for an unknown parameter. */
  show(name: string): string {
    const value = this.get(name);
    if (value === undefined) {
      throw new PgError(SqlState.UndefinedObject, `unrecognized configuration parameter "${name}"`);
    }
    return value;
  }

  /** All GUCs for SHOW ALL: [name, setting, description], sorted by name like PostgreSQL. */
  all(): Array<[string, string, string]> {
    const rows: Array<[string, string, string]> = [];
    for (const [key, value] of this.values) {
      const def = this.defs.get(key);
      rows.push([def?.name ?? key, value, def?.description ?? '']);
    }
    return rows.sort((a, b) => (a[0].toLowerCase() < b[0].toLowerCase() ? -1 : 1));
  }

  /** A read-only view (lower-case name -> value) for the translator and the catalog. */
  snapshot(): ReadonlyMap<string, string> {
    return this.values;
  }

  set(name: string, value: string, local: boolean): void {
    const key = name.toLowerCase();
    const def = this.defs.get(key);
    if (!def && !key.includes('.')) {
      throw new PgError(SqlState.UndefinedObject, `unrecognized configuration parameter "${name}"`);
    }
    if (def?.readonly) {
      throw new PgError(SqlState.CantChangeRuntimeParam, `parameter "${def.name}" cannot be changed`);
    }
    let canonical = value;
    if (key === 'datestyle') canonical = normalizeDateStyle(this.values.get(key) ?? 'ISO, MDY')(value);
    else if (def?.normalize) canonical = def.normalize(value);
    if (!def && !this.customNames.has(key)) this.customNames.set(key, name);
    const previous = this.values.get(key);
    if (local) this.rememberLocal(key, previous);
    this.values.set(key, canonical);
    if (def?.report && previous !== canonical) this.changedReported.add(key);
  }

  /** Keeps the value a SET LOCAL replaces (null: none), for the end of the (block or implicit) transaction. */
  private rememberLocal(key: string, previous: string | undefined): void {
    const undo = this.txSnapshot !== null ? (this.localUndo ??= new Map()) : (this.implicitUndo ??= new Map());
    if (!undo.has(key)) undo.set(key, previous ?? null);
  }

  /** RESET, or SET name TO DEFAULT (`local`: SET LOCAL name TO DEFAULT). */
  reset(name: string, local = false): void {
    const key = name.toLowerCase();
    const def = this.defs.get(key);
    const value = this.resetValues.get(key) ?? def?.value;
    if (value === undefined) {
      if (key.includes('.')) {
        this.values.delete(key);
        return;
      }
      throw new PgError(SqlState.UndefinedObject, `unrecognized configuration parameter "${name}"`);
    }
    if (def?.readonly) throw new PgError(SqlState.CantChangeRuntimeParam, `parameter "${def.name}" cannot be changed`);
    const previous = this.values.get(key);
    if (local) this.rememberLocal(key, previous);
    this.values.set(key, value);
    if (def?.report && previous !== value) this.changedReported.add(key);
  }

  resetAll(): void {
    for (const [key, def] of this.defs) {
      if (!def.readonly && key !== 'session_authorization') this.reset(key);
    }
    for (const key of [...this.values.keys()]) {
      if (!this.defs.has(key)) this.values.delete(key);
    }
  }

  /**
   * BEGIN. A SET LOCAL made earlier in the same implicit transaction (a multi-statement Query)
   * now belongs to the block, as in PostgreSQL where BEGIN turns that transaction into the block.
   */
  beginTransaction(): void {
    this.txSnapshot = new Map(this.values);
    for (const [key, value] of this.implicitUndo ?? []) {
      if (value === null) this.txSnapshot.delete(key);
      else this.txSnapshot.set(key, value);
    }
    this.localUndo = this.implicitUndo;
    this.implicitUndo = null;
  }

  /** Ends a transaction block: COMMIT keeps SET values (not SET LOCAL); ROLLBACK restores all. */
  endTransaction(commit: boolean): void {
    const restore = commit ? this.localUndo : this.txSnapshot;
    if (restore) {
      this.restore(restore);
      if (!commit) {
        for (const key of [...this.values.keys()]) if (!restore.has(key)) this.values.delete(key);
      }
    }
    this.txSnapshot = null;
    this.localUndo = null;
  }

  /** Ends an implicit transaction (outside a block): SET LOCAL values made in it are undone. */
  endImplicitTransaction(): void {
    if (this.implicitUndo) this.restore(this.implicitUndo);
    this.implicitUndo = null;
  }

  private restore(saved: ReadonlyMap<string, string | null>): void {
    for (const [key, value] of saved) {
      if (value === null) {
        this.values.delete(key);
        continue;
      }
      if (this.values.get(key) !== value && this.defs.get(key)?.report) this.changedReported.add(key);
      this.values.set(key, value);
    }
  }

  /** The reported GUCs (canonical name, value) to announce at startup. */
  reported(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [key, def] of this.defs) {
      if (!def.report) continue;
      const value = this.values.get(key) ?? def.value;
      this.lastReported.set(key, value);
      out.push([def.name, value]);
    }
    return out;
  }

  /**
   * Reported GUCs whose value differs from the one the client was last sent, for ParameterStatus
   * after SET/RESET/ROLLBACK: a change undone before ReadyForQuery (SET LOCAL outside a block) is
   * not reported, as in PostgreSQL (ReportGUCOption compares with the last reported value).
   */
  drainReportedChanges(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const key of this.changedReported) {
      const value = this.values.get(key) ?? '';
      if (this.lastReported.get(key) === value) continue;
      this.lastReported.set(key, value);
      out.push([this.defs.get(key)?.name ?? key, value]);
    }
    this.changedReported.clear();
    return out;
  }
}
