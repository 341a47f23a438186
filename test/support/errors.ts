import { expect } from 'vitest';
import { PgError } from '../../src/errors/pg-error.js';

/** The PgError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<PgError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(PgError);
    return err as PgError;
  }
  throw new Error('expected a PgError');
}
