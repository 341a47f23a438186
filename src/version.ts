import { readFileSync } from 'node:fs';

/** The package version, read once from package.json next to src/ or dist/. */
export const PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The PostgreSQL version the gateway advertises (server_version, version()). */
export const PG_COMPAT_VERSION = '16.4';
export const PG_COMPAT_VERSION_NUM = '160004';
export const SERVER_VERSION = `${PG_COMPAT_VERSION} (polaris-pg ${PACKAGE_VERSION})`;
