/**
 * What PGlite holds for gateway sessions beside their statements: the temp relations each session
 * created (session-temps.ts; dropped with DISCARD TEMP and at its end), the rows pg_stat_activity shows, and the
 * requests of pg_cancel_backend / pg_terminate_backend, which the signal functions record in a
 * table for the gateway to carry out.
 */
import { SIGNALS_TABLE } from './bootstrap.js';
import type { EngineHost } from './engine-host.js';
import type { PlanCache } from './plan-cache.js';
import { activitySql } from './session-state.js';
import { SessionTemps } from './session-temps.js';
import type { SessionActivity } from './types.js';
import { textRows } from '../wire/backend-reader.js';

const ACTIVITY_VIEW = /pg_stat_activity|pg_cancel_backend|pg_terminate_backend/i;
/** Statements that may call the signal functions; after one, requests drain the signals table. */
const SIGNAL_FUNCTION = /pg_cancel_backend|pg_terminate_backend/i;

export class SessionObjects {
  readonly temps: SessionTemps;
  readonly #activity = new Map<number, SessionActivity>();
  /** Whether PGlite's activity rows differ from #activity. */
  #activityDirty = true;
  /** Set once any statement named a signal function: requests then drain the signals table. */
  #signalsWatched = false;
  /** Receives pg_cancel_backend / pg_terminate_backend requests (pid, action). */
  onSignal: ((pid: number, action: 'cancel' | 'terminate') => void) | null = null;

  constructor(
    private readonly host: EngineHost,
    private readonly plans: PlanCache,
  ) {
    this.temps = new SessionTemps(host);
    host.whenLost(() => {
      this.#activityDirty = true;
    });
  }

  /** SQL that brings PGlite's activity rows up to date when `sqlText` may read them, else null. */
  activityUpdate(sqlText: string | null): string | null {
    return this.#activityDirty && sqlText !== null && ACTIVITY_VIEW.test(sqlText) ? activitySql(this.#activity) : null;
  }

  /** The SQL of activityUpdate() ran. */
  activityUpdated(): void {
    this.#activityDirty = false;
  }

  setActivity(pid: number, activity: SessionActivity | null): void {
    if (activity === null) this.#activity.delete(pid);
    else this.#activity.set(pid, activity);
    this.#activityDirty = true;
  }

  /**
   * After a client statement of session `pid` (`changes`: it may have changed the catalog): notes
   * the temp relations it made, renamed or dropped, and hands on signals.
   */
  async afterStatement(sqlText: string | null, pid: number, changes: boolean): Promise<void> {
    if (changes && (await this.temps.track(pid))) this.plans.clear();
    if (sqlText !== null && SIGNAL_FUNCTION.test(sqlText)) this.#signalsWatched = true;
    if (this.#signalsWatched) await this.#drainSignals();
  }

  /** Hands requests recorded by the signal functions to the gateway. */
  async #drainSignals(): Promise<void> {
    const rows = textRows(await this.host.asSuperuser(`DELETE FROM ${SIGNALS_TABLE} RETURNING pid, action;`, 'signals'));
    for (const [pid, action] of rows) {
      if (pid !== null && pid !== undefined && (action === 'cancel' || action === 'terminate')) this.onSignal?.(Number(pid), action);
    }
  }

  /** Drops the temp relations a session created (DISCARD TEMP, end of session). */
  async dropTemp(pid: number): Promise<void> {
    const drops = this.temps.dropSql(pid);
    if (drops === null) return;
    this.plans.clear();
    await this.host.asSuperuser(drops, 'drop temp tables');
  }
}
