import { readFileSync } from 'node:fs';

/** The package version, read once from package.json next to src/ or dist/. */
export const PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * The PostgreSQL version the gateway advertises (server_version at startup, SHOW, current_setting,
 * pg_settings): the version of the catalog engine, PGlite's PostgreSQL, which also answers
 * version(). test/unit/catalog/version.test.ts checks that PGlite reports the same.
 */
export const PG_COMPAT_VERSION = '18.6';
export const PG_COMPAT_VERSION_NUM = '180006';
export const SERVER_VERSION = PG_COMPAT_VERSION;
