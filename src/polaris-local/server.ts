/**
 * The local Polaris HTTP server (docs/polaris-local.md): the token endpoint, the project routes under
 * /v1/projects/{projectId} and polaris-local's own test routes. Every project route checks, in order:
 * an injected 503, the credential (401), an injected 403 or 429, the project ID (404), the route.
 * In validation mode every exchange but the token endpoint's and the test routes' is checked
 * (./validation.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticate, sendUnauthorized } from './auth.js';
import { createDebug, DEBUG_PREFIX, handleDebug, takeFault, type Debug } from './debug.js';
import { FORBIDDEN, PROJECT_NOT_FOUND, RATE_LIMITED, sendError, UNAVAILABLE } from './errors.js';
import { BodyTooLarge, sendJson } from './http-util.js';
import type { PolarisLocalOptions } from './options.js';
import { matchRoute, PROJECT_TEMPLATE, templateOf, type Route } from './router.js';
import { JsonStore } from './store.js';
import { handleTokenRequest, TOKEN_PATH } from './token-endpoint.js';
import { createTokenIssuer, newTokenKey, type TokenIssuer } from './tokens.js';
import { connectionRoutes, type Connections } from './connections.js';
import { fileRoutes, type Files } from './files.js';
import { jobRoutes } from './jobs.js';
import { statementRoutes } from './statements.js';
import { syncQueryRoutes } from './sync-query.js';
import { tableRoutes, type Tables } from './tables.js';
import { createValidation, watchExchange, type Validation } from './validation.js';

const PROJECT_PATH = /^\/v1\/projects\/([^/]+)(\/.*)$/;
const TOKEN_KEY_FILE = 'token-key.json';

export interface PolarisLocal {
  /** The regional base URL, e.g. http://127.0.0.1:PORT. */
  readonly url: string;
  readonly projectId: string;
  /** The token endpoint URL. */
  readonly tokenUrl: string;
  readonly debug: Debug;
  /** The project routes served: method and template after /v1/projects/{projectId}. */
  readonly routes: readonly Pick<Route, 'method' | 'template'>[];
  /** In validation mode: the problems found and the exchanges checked. */
  readonly validation: Validation | undefined;
  close(): Promise<void>;
}

/** What a route module needs. */
export interface Services {
  options: PolarisLocalOptions;
  store: JsonStore;
  debug: Debug;
  /** Set by the tables, files and connections modules for the jobs module after them. */
  tables?: Tables;
  files?: Files;
  connections?: Connections;
}

/** Route modules: each returns its routes and, optionally, a stop function. */
export type RouteModule = (services: Services) => { routes: Route[]; stop?: () => Promise<void> | void };

const MODULES: RouteModule[] = [syncQueryRoutes, statementRoutes, tableRoutes, fileRoutes, connectionRoutes, jobRoutes];

export async function startPolarisLocal(options: PolarisLocalOptions): Promise<PolarisLocal> {
  const store = new JsonStore(options.stateDir);
  const key = store.read<{ key?: string }>(TOKEN_KEY_FILE, {}).key;
  const tokenKey = key === undefined ? newTokenKey() : Buffer.from(key, 'base64');
  if (key === undefined) store.write(TOKEN_KEY_FILE, { key: tokenKey.toString('base64') });
  const tokens = createTokenIssuer(tokenKey, options.clients, options.tokenTtlS);
  const debug = createDebug();
  const services: Services = { options, store, debug };
  const modules = MODULES.map((m) => m(services));
  const routes = modules.flatMap((m) => m.routes);
  const validation = options.validate === undefined ? undefined : createValidation(store);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://polaris-local');
    const check = options.validate;
    const watched = check === undefined || validation === undefined || TOKEN_PATH.test(url.pathname) || url.pathname.startsWith(DEBUG_PREFIX) ? Promise.resolve() : watchExchange(req, res, url, routeName(routes, url.pathname), check, validation, store);
    watched.then(() => handle(req, res, url, options, routes, tokens, debug)).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof BodyTooLarge) return sendError(res, 413, 'PayloadTooLarge', err.message);
      sendError(res, 500, 'InternalError', (err as Error).message);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  return {
    url,
    projectId: options.projectId,
    tokenUrl: `${url}/auth/realms/local/protocol/openid-connect/token`,
    debug,
    routes: routes.map(({ method, template }) => ({ method, template })),
    validation,
    async close() {
      for (const m of modules) await m.stop?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      validation?.close();
    },
  };
}

/** A path's route as the document names it, e.g. /v1/projects/{projectId}/tables/{tableName}; else the path. */
function routeName(routes: Route[], path: string): string {
  const project = PROJECT_PATH.exec(path);
  const template = project === null ? undefined : templateOf(routes, project[2] ?? '');
  return template === undefined ? path : `${PROJECT_TEMPLATE}${template}`;
}

async function handle(req: IncomingMessage, res: ServerResponse, url: URL, options: PolarisLocalOptions, routes: Route[], tokens: TokenIssuer, debug: Debug): Promise<void> {
  const method = req.method ?? 'GET';
  if (TOKEN_PATH.test(url.pathname)) {
    if (method !== 'POST') return sendError(res, 405, 'MethodNotAllowed', 'Use POST.');
    return handleTokenRequest(req, res, tokens);
  }
  const project = PROJECT_PATH.exec(url.pathname);
  const isDebug = url.pathname.startsWith(DEBUG_PREFIX);
  if (project === null && !isDebug) return sendError(res, 404, 'ObjectNotFound', 'No such route.');
  const fault = isDebug ? undefined : takeFault(debug);
  if (fault === 503) return sendJson(res, 503, UNAVAILABLE, { 'retry-after': '60' });
  const auth = authenticate(req.headers.authorization, options.apiKey, tokens);
  if (!auth.ok) return sendUnauthorized(res, auth.body);
  if (isDebug) return handleDebug(req, res, url.pathname, debug, tokens);
  if (fault === 403) return sendJson(res, 403, FORBIDDEN);
  if (fault === 429) return sendJson(res, 429, RATE_LIMITED);
  if (project?.[1] !== options.projectId) return sendJson(res, 404, PROJECT_NOT_FOUND);
  const match = matchRoute(routes, method, project[2] ?? '');
  if (match === 'no-path') return sendError(res, 404, 'ObjectNotFound', `No route ${project[2] ?? ''}.`);
  if (match === 'no-method') return sendError(res, 405, 'MethodNotAllowed', `${method} is not allowed on ${project[2] ?? ''}.`);
  return match.route.handle({ req, res, url, params: match.params });
}
