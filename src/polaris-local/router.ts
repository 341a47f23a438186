/** The project routes: method, a pattern over the path after /v1/projects/{projectId}, and a handler. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The pattern's capture groups, URL-decoded. */
  params: string[];
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: RegExp;
  handle(ctx: RouteContext): Promise<void> | void;
}

export type RouteMatch = { route: Route; params: string[] } | 'no-path' | 'no-method';

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  let pathFound = false;
  for (const route of routes) {
    const m = route.path.exec(path);
    if (m === null) continue;
    pathFound = true;
    if (route.method === method) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return pathFound ? 'no-method' : 'no-path';
}
