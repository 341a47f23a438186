/**
 * The project routes: method, a path template after /v1/projects/{projectId} (the OpenAPI document's,
 * parameter names included, e.g. /tables/{tableName}) and a handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The template's parameters in order, URL-decoded. */
  params: string[];
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  template: string;
  handle(ctx: RouteContext): Promise<void> | void;
}

/** The project part of every Polaris API path. */
export const PROJECT_TEMPLATE = '/v1/projects/{projectId}';

export type RouteMatch = { route: Route; params: string[] } | 'no-path' | 'no-method';

const patterns = new Map<string, RegExp>();

/** The template as an anchored pattern: each {parameter} matches one path segment. */
function pattern(template: string): RegExp {
  let p = patterns.get(template);
  if (p === undefined) {
    const escaped = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
    p = new RegExp(`^${escaped.join('([^/]+)')}$`);
    patterns.set(template, p);
  }
  return p;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  let pathFound = false;
  for (const route of routes) {
    const m = pattern(route.template).exec(path);
    if (m === null) continue;
    pathFound = true;
    if (route.method === method) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return pathFound ? 'no-method' : 'no-path';
}

/** The template of the first route whose path matches, whatever its method. */
export function templateOf(routes: readonly Route[], path: string): string | undefined {
  return routes.find((r) => pattern(r.template).test(path))?.template;
}
