/** Settings of a local Polaris (docs/polaris-local.md). */
import type { ExchangeCheck } from './validation.js';

export interface ClientCredential {
  id: string;
  secret: string;
}

export interface PolarisLocalOptions {
  /** The Druid router or broker every query and task goes to. */
  druidUrl: string;
  /** The Druid Overlord (or a router that proxies it) ingestion tasks go to. */
  overlordUrl: string;
  host: string;
  /** 0: an ephemeral port. */
  port: number;
  /** Tables, connections, files, jobs and asynchronous results live here as JSON files. */
  stateDir: string;
  /** The one API key accepted (Basic, raw or base64("key:")). */
  apiKey: string;
  /** The project UUID served under /v1/projects/{projectId}. */
  projectId: string;
  /** OAuth clients allowed to use the client-credentials token endpoint. */
  clients: ClientCredential[];
  /** Lifetime of an issued access token. */
  tokenTtlS: number;
  /** Events accepted per connection per minute before 429 (0: no limit). */
  eventsPerMinute: number;
  /** How often pushed events are flushed into an append task. */
  eventFlushMs: number;
  /** Validation mode: every Polaris API exchange goes through this check (./validation.ts). Tests only. */
  validate?: ExchangeCheck;
}

/** Polaris access tokens last five minutes (docs/polaris-local.md, "Authentication"). */
export const DEFAULT_TOKEN_TTL_S = 300;
/** The legacy published push limit: 83,334 calls per minute per organization. */
export const DEFAULT_EVENTS_PER_MINUTE = 83_334;
export const DEFAULT_EVENT_FLUSH_MS = 3_000;
/** The organization name in the local token URL (/auth/realms/{org}/protocol/openid-connect/token). */
export const LOCAL_ORGANIZATION = 'local';
