/**
 * A session's translations of data statements, reused when the same statement text is translated
 * again with the same inputs: translate() (src/sql/translate) is a function of the statement's
 * parse tree (fixed by its text and its place in the query string, which error positions and
 * locations depend on), the parameter types, the session settings, the schema snapshot and the
 * options. The key holds all of them but the snapshot; a new snapshot (a refresh) empties the
 * cache. Only translations that succeeded are kept; refusals are translated again each time.
 */
import type { SchemaSnapshot } from '../schema/snapshot.js';
import type { ParsedStatement, Translation } from '../sql/types.js';

/** Translations kept per session; past it the oldest is dropped. */
export const TRANSLATION_CACHE_ENTRIES = 256;
const SEPARATOR = '\u0000';

/** The cache key of a translation's inputs other than the schema snapshot. */
export function translationKey(stmt: ParsedStatement, paramTypes: readonly number[], settings: ReadonlyMap<string, string>, limitZero: boolean): string {
  const parts: string[] = [limitZero ? 'z' : 'f', String(stmt.offset), String(stmt.charsBefore), paramTypes.join(','), stmt.text];
  for (const [name, value] of settings) parts.push(name, value);
  return parts.join(SEPARATOR);
}

export class TranslationCache {
  private schema: SchemaSnapshot | null = null;
  private readonly entries = new Map<string, Translation>();

  constructor(private readonly capacity = TRANSLATION_CACHE_ENTRIES) {}

  get(schema: SchemaSnapshot, key: string): Translation | undefined {
    if (schema !== this.schema) {
      this.entries.clear();
      this.schema = schema;
      return undefined;
    }
    return this.entries.get(key);
  }

  set(schema: SchemaSnapshot, key: string, translation: Translation): void {
    if (schema !== this.schema) {
      this.entries.clear();
      this.schema = schema;
    }
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, translation);
  }
}
