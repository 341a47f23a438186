import { PgError } from '../../../src/errors/pg-error.js';
import { parseSql, translate } from '../../../src/sql/index.js';
import { context } from './fixtures.js';

/** The Druid SQL of one statement over the fixture schema (initParser must have run). */
export function translatedSql(text: string): string {
  const [statement] = parseSql(text);
  if (statement === undefined) throw new Error('no statement');
  return translate(statement, context()).sql;
}

/** The PgError translating `text` raises; fails the test when it translates. */
export function translateFailure(text: string): PgError {
  try {
    translatedSql(text);
  } catch (error) {
    if (error instanceof PgError) return error;
    throw error;
  }
  throw new Error(`translated: ${text}`);
}

/** 'translated', or the SQLSTATE of the PgError translating `text` raises. */
export function translateOutcome(text: string): string {
  try {
    translatedSql(text);
    return 'translated';
  } catch (error) {
    if (error instanceof PgError) return error.code;
    throw error;
  }
}
