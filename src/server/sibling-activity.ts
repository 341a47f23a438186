/**
 * pg_stat_activity rows between the --workers of an instance (src/cluster/): the IPC channel
 * carries JSON (https://nodejs.org/docs/latest-v20.x/api/child_process.html#advanced-serialization),
 * which turns a Date into its ISO string; the receiving worker turns it back.
 */
import type { CatalogManager } from '../catalog/manager.js';
import type { SessionActivity } from '../catalog/types.js';

/** A session as pg_stat_activity shows it (SessionActivity) with its process ID, as JSON carries it. */
export type ActivityRow = [number, Record<string, unknown>];

const TIMES = ['backendStart', 'queryStart', 'stateChange', 'xactStart'] as const;

export function toRows(activity: ReadonlyMap<number, SessionActivity>): ActivityRow[] {
  return [...activity].map(([pid, a]) => [pid, { ...a }]);
}

export function fromRows(rows: readonly ActivityRow[]): Map<number, SessionActivity> {
  return new Map(
    rows.map(([pid, raw]) => {
      const activity = { ...raw } as unknown as SessionActivity;
      for (const name of TIMES) {
        const value = raw[name];
        if (typeof value === 'string') activity[name] = new Date(value);
      }
      return [pid, activity];
    }),
  );
}

/**
 * The sibling workers' sessions as this worker shows them: a passthrough session under the role
 * this worker gives its credential (CatalogManager.tenantRole), since credential numbers are per worker.
 */
export function siblingSessions(rows: readonly ActivityRow[], catalog: CatalogManager): Map<number, SessionActivity> {
  const sessions = fromRows(rows);
  for (const [pid, activity] of sessions) if (activity.tenant) sessions.set(pid, { ...activity, user: catalog.tenantRole(activity.tenant) });
  return sessions;
}
