/**
 * Whether a data statement reads Polaris tables that are declared but have no data yet
 * (TableInfo.withoutData). Druid does not know such a table ("Object ... not found"), so a statement
 * that reads only such tables is answered by the catalog engine, which holds each as an empty table
 * with the declared columns (src/catalog/mirror.ts): PostgreSQL's own answer over empty tables. A
 * statement that also reads a table with data is refused (docs/polaris.md, "Tables without data").
 */
import { unsupported } from '../errors/pg-error.js';
import type { SchemaSnapshot } from '../schema/snapshot.js';
import { str, visit, type AstBody } from './ast.js';
import { DATA_SCHEMAS } from './catalog-relations.js';
import { positionOf } from './offsets.js';
import type { ParsedStatement } from './types.js';


interface Reference {
  name: string;
  schema: string | undefined;
  location: unknown;
}

/** The statement's table references (RangeVar), and the names its WITH clauses define. */
function references(stmt: ParsedStatement): { tables: Reference[]; ctes: Set<string> } {
  const tables: Reference[] = [];
  const ctes = new Set<string>();
  visit(stmt.ast, (key, body: AstBody) => {
    if (key === 'CommonTableExpr') {
      const name = str(body.ctename);
      if (name !== undefined) ctes.add(name);
    } else if (key === 'RangeVar') {
      tables.push({ name: str(body.relname) ?? '', schema: str(body.schemaname), location: body.location });
    }
  });
  return { tables, ctes };
}

/**
 * The tables without data a data statement reads, resolved as the translator resolves them
 * (src/sql/translate/from.ts). Throws 0A000 when it reads a table without data together with a table
 * that has data, under a qualifier the catalog engine does not show the tables in, or under a name a
 * WITH clause also defines.
 */
/**
 * Returns the names of the tables without data when every table the statement reads is one, else
 * an empty list (it reads none).
 */
export function tablesWithoutData(stmt: ParsedStatement, schema: SchemaSnapshot, schemaName: string): string[] {
  const { tables, ctes } = references(stmt);
  const empty: Reference[] = [];
  let withData: Reference | undefined;
  for (const ref of tables) {
    const inDataSchema = ref.schema === undefined || DATA_SCHEMAS.has(ref.schema) || ref.schema === schemaName;
    const table = inDataSchema ? schema.tables.get(ref.name) : undefined;
    if (table === undefined) continue;
    if (table.withoutData !== true) {
      if (ref.schema !== undefined || !ctes.has(ref.name)) withData ??= ref;
      continue;
    }
    const position = positionOf(stmt, typeof ref.location === 'number' ? ref.location : undefined);
    const what = `reading table "${ref.name}", which Polaris declares but has no data yet,`;
    if (ref.schema === undefined && ctes.has(ref.name)) throw unsupported(`${what} in a statement whose WITH clause also defines "${ref.name}"`, 'Give the WITH query another name.', position);
    if (ref.schema !== undefined && ref.schema !== schemaName) throw unsupported(`${what} under schema "${ref.schema}"`, `Name the table without a schema or as ${schemaName}.${ref.name}.`, position);
    empty.push(ref);
  }
  const first = empty[0];
  if (first === undefined) return [];
  if (withData !== undefined) {
    const position = positionOf(stmt, typeof first.location === 'number' ? first.location : undefined);
    throw unsupported(
      `reading table "${first.name}", which Polaris declares but has no data yet, together with table "${withData.name}"`,
      `A table without data answers as an empty table only in a statement that reads no table with data; query "${first.name}" on its own until it has rows.`,
      position,
    );
  }
  return [...new Set(empty.map((ref) => ref.name))];
}
