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
/**
 * Bytes of key and Druid SQL text (UTF-16, 2 bytes a character) kept per session; past it the
 * oldest are dropped, and a translation larger than a quarter of it is not kept (a statement may
 * be as large as a message, far more than the count bounds).
 */
export const TRANSLATION_CACHE_BYTES = 1024 * 1024;
const BYTES_PER_CHAR = 2;
const SEPARATOR = '\u0000';

/** The cache key of a translation's inputs other than the schema snapshot. */
export function translationKey(stmt: ParsedStatement, paramTypes: readonly number[], settings: ReadonlyMap<string, string>, limitZero: boolean): string {
  const parts: string[] = [limitZero ? 'z' : 'f', String(stmt.offset), String(stmt.charsBefore), paramTypes.join(','), stmt.text];
  for (const [name, value] of settings) parts.push(name, value);
  return parts.join(SEPARATOR);
}

export class TranslationCache {
  private schema: SchemaSnapshot | null = null;
  private readonly entries = new Map<string, { translation: Translation; bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly capacity = TRANSLATION_CACHE_ENTRIES,
    private readonly byteBudget = TRANSLATION_CACHE_BYTES,
  ) {}

  get(schema: SchemaSnapshot, key: string): Translation | undefined {
    if (schema !== this.schema) {
      this.clear(schema);
      return undefined;
    }
    return this.entries.get(key)?.translation;
  }

  set(schema: SchemaSnapshot, key: string, translation: Translation): void {
    if (schema !== this.schema) this.clear(schema);
    const bytes = (key.length + translation.sql.length) * BYTES_PER_CHAR;
    if (bytes > this.byteBudget / 4 || this.entries.has(key)) return;
    while (this.entries.size >= this.capacity || (this.entries.size > 0 && this.bytes + bytes > this.byteBudget)) {
      const [oldest, entry] = this.entries.entries().next().value as [string, { bytes: number }];
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
    this.entries.set(key, { translation, bytes });
    this.bytes += bytes;
  }

  /** Bytes the kept translations count (keys and Druid SQL). */
  get heldBytes(): number {
    return this.bytes;
  }

  private clear(schema: SchemaSnapshot): void {
    this.entries.clear();
    this.bytes = 0;
    this.schema = schema;
  }
}
