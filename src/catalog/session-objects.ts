/**
 * What PGlite holds for gateway sessions beside their statements: the temp relations each session
 * created (session-temps.ts; dropped with DISCARD TEMP and at its end) and the rows
 * pg_stat_activity shows; and the requests of pg_cancel_backend / pg_terminate_backend, which the
 * signal functions raise as notices for the gateway to carry out.
 */
import { SIGNAL_NOTICE_CODE } from './bootstrap.js';
import type { EngineHost } from './engine-host.js';
import type { PlanCache } from './plan-cache.js';
import { activitySql } from './session-state.js';
import { SessionTemps } from './session-temps.js';
import type { SessionActivity } from './types.js';
import { codeOf, errorFields } from '../wire/backend-reader.js';
import { BackendCode, ErrorFieldCode } from '../wire/constants.js';
import { SUPERUSER } from './session-state.js';

export class SessionObjects {
  readonly temps: SessionTemps;
  readonly #activity = new Map<number, SessionActivity>();
  /** Whether PGlite's activity rows differ from #activity. */
  #activityDirty = true;
  /** The sibling workers' sessions as last read (--workers above 1), shown and signaled beside this worker's. */
  #siblings: ReadonlyMap<number, SessionActivity> = new Map();
  /** Reads the sibling workers' sessions; null with one worker. */
  siblingSource: (() => Promise<ReadonlyMap<number, SessionActivity>>) | null = null;
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

  /**
   * SQL that brings PGlite's activity rows up to date before a request of session `pid` that may
   * read them, else null: one whose tree names them (`readsActivity`, src/sql/catalog-facts.ts), or
   * any request of a session holding temp relations (a view over pg_stat_activity, a trigger or
   * rule on a temp table may read them). With sibling workers their sessions are read anew each
   * time (they change without notice here); when they cannot be read, this worker's sessions are
   * shown alone.
   */
  async activityUpdate(readsActivity: boolean, pid: number): Promise<string | null> {
    if (!readsActivity && !this.temps.holdsAny(pid)) return null;
    if (this.siblingSource !== null) {
      this.#siblings = await this.siblingSource().catch(() => new Map<number, SessionActivity>());
      return activitySql(new Map([...this.#siblings, ...this.#activity]));
    }
    return this.#activityDirty ? activitySql(this.#activity) : null;
  }

  /** This worker's sessions, as sibling workers read them. */
  get activity(): ReadonlyMap<number, SessionActivity> {
    return this.#activity;
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
   * the temp relations it made, renamed or dropped.
   */
  async afterStatement(pid: number, changes: boolean): Promise<void> {
    if (changes && (await this.temps.track(pid))) this.plans.clear();
  }

  /**
   * Takes the signal functions' notices out of a reply and hands their requests to the gateway
   * when `role` may signal the target session: its own role's sessions, or any as the engine's
   * superuser (pg_signal_backend's rule, checked again here because a client can raise a notice
   * of any SQLSTATE itself); a sibling worker's session as last read by activityUpdate. As in PostgreSQL, the signal is sent even if the statement fails later.
   */
  takeSignals(frames: Buffer[], role: string): Buffer[] {
    if (!frames.some((f) => codeOf(f) === BackendCode.NoticeResponse)) return frames;
    return frames.filter((frame) => {
      if (codeOf(frame) !== BackendCode.NoticeResponse) return true;
      const fields = errorFields(frame);
      if (fields.get(ErrorFieldCode.Code) !== SIGNAL_NOTICE_CODE) return true;
      const [pid, action] = (fields.get(ErrorFieldCode.Detail) ?? '').split(' ');
      const target = this.#activity.get(Number(pid)) ?? this.#siblings.get(Number(pid));
      const allowed = target !== undefined && (target.user === role || role === SUPERUSER);
      if (allowed && (action === 'cancel' || action === 'terminate')) this.onSignal?.(Number(pid), action);
      return false;
    });
  }

  /** Drops the temp relations a session created (DISCARD TEMP, end of session). */
  async dropTemp(pid: number): Promise<void> {
    const drops = this.temps.dropSql(pid);
    if (drops === null) return;
    this.plans.clear();
    await this.host.asSuperuser(drops, 'drop temp tables');
  }
}
