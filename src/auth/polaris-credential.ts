import type { BackendCredential } from '../schema/druid.js';

/** Three base64url segments joined by dots: the compact serialization of a signed JWT (RFC 7515 §7.1). */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The Polaris credential for a password given in passthrough mode: a JWT-shaped password is an
 * OAuth access token (sent as Bearer), anything else an API key (docs/polaris.md, "Authentication").
 */
export function polarisPassthroughCredential(password: string): BackendCredential {
  return JWT_SHAPE.test(password) ? { kind: 'bearer', token: password } : { kind: 'apiKey', apiKey: password };
}
