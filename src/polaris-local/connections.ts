/**
 * Push-streaming connections and their events (docs/polaris-local.md, "Connections and events"):
 * POST /connections (createConnectionInProject, type push_streaming only), GET /connections,
 * GET /connections/{name}, and POST /events/{connectionName} (pushEventsUsingConnection): the body is
 * newline-delimited JSON; each event is appended to --state-dir/events/{name}.ndjson until the
 * streaming jobs reading the connection take it (./jobs.ts). A connection over its events-per-minute
 * limit answers 429.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { RATE_LIMITED, sendBadRequest, sendConflict, sendNotFound } from './errors.js';
import { parseObject, readBody, sendEmpty, sendJson } from './http-util.js';
import type { Route } from './router.js';
import type { RouteModule } from './server.js';
import { Collection, type JsonStore } from './store.js';
import { LOCAL_USER } from './tables.js';

export interface ConnectionRecord {
  name: string;
  type: 'push_streaming';
  description?: string;
  submittedOnTimestamp: string;
  modifiedOnTimestamp: string;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
/** The published per-request limit of pushed events. */
const MAX_EVENTS_BODY_BYTES = 1024 * 1024;
const MINUTE_MS = 60_000;

export class Connections {
  readonly records: Collection<ConnectionRecord>;
  private readonly recent = new Map<string, number[]>();
  constructor(readonly store: JsonStore) {
    this.records = new Collection<ConnectionRecord>(store, 'connections.json');
    mkdirSync(store.path('events'), { recursive: true });
  }

  private file(name: string): string {
    return this.store.path('events', `${name}.ndjson`);
  }

  push(name: string, lines: string[]): void {
    appendFileSync(this.file(name), lines.map((l) => `${l}\n`).join(''));
  }

  /** Takes every event pushed so far (newline-delimited JSON text, '' when none). */
  take(name: string): string {
    const taken = `${this.file(name)}.taking`;
    try {
      renameSync(this.file(name), taken);
    } catch {
      return '';
    }
    const text = readFileSync(taken, 'utf8');
    rmSync(taken);
    return text;
  }

  /** Counts `count` events against the connection's limit; false when over it. */
  admit(name: string, count: number, perMinute: number, now = Date.now()): boolean {
    if (perMinute === 0) return true;
    const times = (this.recent.get(name) ?? []).filter((t) => t > now - MINUTE_MS);
    if (times.length + count > perMinute) {
      this.recent.set(name, times);
      return false;
    }
    for (let i = 0; i < count; i++) times.push(now);
    this.recent.set(name, times);
    return true;
  }
}

function view(c: ConnectionRecord, projectBase: string): Record<string, unknown> {
  return {
    name: c.name,
    type: c.type,
    ...(c.description === undefined ? {} : { description: c.description }),
    endpointUrl: `${projectBase}/events/${encodeURIComponent(c.name)}`,
    submittedByUser: LOCAL_USER,
    modifiedByUser: LOCAL_USER,
    submittedOnTimestamp: c.submittedOnTimestamp,
    modifiedOnTimestamp: c.modifiedOnTimestamp,
  };
}

export const connectionRoutes: RouteModule = (services) => {
  const connections = new Connections(services.store);
  services.connections = connections;
  const base = (): string => `/v1/projects/${services.options.projectId}`;
  const routes: Route[] = [
    {
      method: 'POST',
      template: '/connections',
      handle: async ({ req, res }) => {
        const body = parseObject(await readBody(req));
        if (body === undefined || typeof body.name !== 'string' || !NAME.test(body.name)) return sendBadRequest(res, 'name must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_" and "-".');
        if (body.type !== 'push_streaming') return sendBadRequest(res, 'Only push_streaming connections are supported here.');
        if (connections.records.get(body.name) !== undefined) return sendConflict(res, `A connection named ${body.name} already exists.`);
        const stamp = new Date().toISOString();
        const record: ConnectionRecord = { name: body.name, type: 'push_streaming', submittedOnTimestamp: stamp, modifiedOnTimestamp: stamp, ...(typeof body.description === 'string' ? { description: body.description } : {}) };
        connections.records.put(record);
        sendJson(res, 201, view(record, base()));
      },
    },
    { method: 'GET', template: '/connections', handle: ({ res }) => sendJson(res, 200, { values: connections.records.list().map((c) => view(c, base())) }) },
    {
      method: 'GET',
      template: '/connections/{name}',
      handle: ({ res, params }) => {
        const record = connections.records.get(params[0] ?? '');
        if (record === undefined) return sendNotFound(res, `Connection ${params[0] ?? ''}`);
        sendJson(res, 200, view(record, base()));
      },
    },
    {
      method: 'POST',
      template: '/events/{connectionName}',
      handle: async ({ req, res, params }) => {
        const name = params[0] ?? '';
        if (connections.records.get(name) === undefined) return sendNotFound(res, `Connection ${name}`);
        const lines = (await readBody(req, MAX_EVENTS_BODY_BYTES)).toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '');
        if (lines.some((l) => parseObject(Buffer.from(l)) === undefined)) return sendBadRequest(res, 'Each line of the body must be one JSON object.');
        if (!connections.admit(name, lines.length, services.options.eventsPerMinute)) return sendJson(res, 429, RATE_LIMITED);
        connections.push(name, lines);
        sendEmpty(res, 200);
      },
    },
  ];
  return { routes };
};
