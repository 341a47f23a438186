/**
 * Polaris' platform error bodies (docs/polaris-local.md, "Errors"): the flat ErrorResponse object
 * {code, message} of the API document, the wrapped {"error": {code, message}} Polaris sends for a bad
 * credential, and the message-only bodies of an expired token and the events rate limit.
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from './http-util.js';

export const INVALID_AUTHENTICATION = { error: { code: 'InvalidAuthentication', message: 'The provided authorization is invalid.' } };
export const TOKEN_EXPIRED = { message: 'Token claims invalid: ["exp"]="token expired"' };
export const RATE_LIMITED = { message: 'API rate limit exceeded' };
export const PROJECT_NOT_FOUND = { code: 'ObjectNotFound', message: 'The project was not found.' };
export const FORBIDDEN = { code: 'Forbidden', message: 'The caller does not have the permission required for this request.' };
export const UNAVAILABLE = { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable, usually for scheduled maintenance. Retry later.' };

/** A flat ErrorResponse {code, message}. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { code, message });
}

export function sendNotFound(res: ServerResponse, what: string): void {
  sendError(res, 404, 'ObjectNotFound', `${what} was not found.`);
}

export function sendBadRequest(res: ServerResponse, message: string): void {
  sendError(res, 400, 'InvalidArgument', message);
}

export function sendConflict(res: ServerResponse, message: string): void {
  sendError(res, 409, 'AlreadyExists', message);
}
