/**
 * DDL for one database's mirror: an empty table per Druid table, with the column types the result
 * encoder reports (src/types/druid-to-pg.ts), so pg_catalog and information_schema agree with the
 * RowDescriptions of data queries.
 */
import { createHash } from 'node:crypto';
import { pgTypeFor, type PgTypeOptions } from '../types/druid-to-pg.js';
import type { SchemaSnapshot, TableInfo } from '../schema/snapshot.js';

/** Druid's primary time column; never null in Druid. */
export const TIME_COLUMN = '__time';

/** A quoted identifier: https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * An escape string constant (E'...'), read the same whatever standard_conforming_strings is.
 * https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS-ESCAPE
 */
export function quoteLiteral(value: string): string {
  return `E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

function tableDdl(schema: string, table: TableInfo, options: PgTypeOptions): string {
  const qualified = `${quoteIdent(schema)}.${quoteIdent(table.name)}`;
  const columns = table.columns.map((column) => {
    const type = pgTypeFor(column, options);
    const notNull = column.name === TIME_COLUMN ? ' NOT NULL' : '';
    return `${quoteIdent(column.name)} pg_catalog.${quoteIdent(type.name)} STORAGE PLAIN${notNull}`;
  });
  // No COMMENT: Druid has no table or column comments, and PostgreSQL shows none for a table without one.
  return `CREATE TABLE ${qualified} (${columns.join(', ')});`;
}

/** A CREATE TABLE statement for every table of the snapshot, in table-name order. */
export function mirrorDdl(schema: string, snapshot: SchemaSnapshot, options: PgTypeOptions = {}): string {
  const names = [...snapshot.tables.keys()].sort();
  return names.map((name) => tableDdl(schema, snapshot.tables.get(name) as TableInfo, options)).join('\n');
}

/**
 * How a mirror's tables are granted (part of the digest, so a data directory whose mirrors were
 * granted otherwise rebuilds them): SELECT to the mirror's reader role only; the schema's USAGE to
 * PUBLIC, as PostgreSQL's own public schema has it (its nspacl is what clients read).
 */
const GRANT_SCHEME = 'reader-role-tables';

/** A digest of the mirror's DDL under a fixed schema name: equal digests need no rebuild. */
export function mirrorDigest(snapshot: SchemaSnapshot, options: PgTypeOptions = {}): string {
  return createHash('sha256').update(GRANT_SCHEME).update(mirrorDdl('s', snapshot, options)).digest('hex');
}

/** Drops every ordinary table of a schema, keeping the schema (and its OID). */
export function dropTablesSql(schema: string): string {
  return [
    'DO $polaris$ DECLARE r record; BEGIN',
    `FOR r IN SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${quoteLiteral(schema)} AND c.relkind = 'r' LOOP`,
    `EXECUTE pg_catalog.format('DROP TABLE %I.%I CASCADE', ${quoteLiteral(schema)}, r.relname);`,
    'END LOOP; END $polaris$;',
  ].join('\n');
}

/**
 * Gives the mirror's columns their types' storage again. The tables are created with STORAGE PLAIN
 * so that PostgreSQL gives them no TOAST table and index: the tables are always empty, and 500
 * mirrored tables would otherwise add 1,000 relations that every pg_class scan reads (psql's \dt
 * and pgjdbc's getTables scan pg_class). Needs allow_system_table_mods.
 * https://www.postgresql.org/docs/current/storage-toast.html
 */
function restoreStorageSql(schema: string): string {
  return [
    'UPDATE pg_catalog.pg_attribute a SET attstorage = t.typstorage',
    'FROM pg_catalog.pg_type t, pg_catalog.pg_class c, pg_catalog.pg_namespace n',
    `WHERE n.nspname = ${quoteLiteral(schema)} AND c.relnamespace = n.oid AND c.relkind = 'r' AND a.attrelid = c.oid`,
    'AND a.attnum > 0 AND t.oid = a.atttypid AND a.attstorage <> t.typstorage;',
  ].join(' ');
}

/**
 * The statements of one rebuild, to run as one transaction with allow_system_table_mods on. The
 * tables are readable by `reader` alone (the role of the credential the mirror belongs to,
 * mirror-schemas.ts), so other tenants neither read them nor see them in information_schema.
 */
export function rebuildSql(schema: string, reader: string, snapshot: SchemaSnapshot, options: PgTypeOptions = {}): string {
  return [
    dropTablesSql(schema),
    mirrorDdl(schema, snapshot, options),
    restoreStorageSql(schema),
    `REVOKE ALL ON SCHEMA ${quoteIdent(schema)} FROM ${quoteIdent(reader)};`,
    `GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO PUBLIC;`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${quoteIdent(schema)} TO ${quoteIdent(reader)};`,
  ].join('\n');
}
