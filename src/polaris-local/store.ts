/**
 * polaris-local's state under --state-dir: one JSON file per collection (tables, connections, files,
 * jobs) and a folder per asynchronous statement. Writes go to a temporary file that is renamed over
 * the old one, so a crash leaves either the old or the new state.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export class JsonStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  read<T>(name: string, fallback: T): T {
    try {
      return JSON.parse(readFileSync(this.path(name), 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
      throw err;
    }
  }

  write(name: string, value: unknown): void {
    this.writeBytes(name, Buffer.from(`${JSON.stringify(value, null, 1)}\n`));
  }

  writeBytes(name: string, bytes: Buffer): void {
    const target = this.path(name);
    mkdirSync(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, bytes);
    renameSync(temp, target);
  }
}

/** A named collection kept in one JSON file, loaded once and written on every change. */
export class Collection<T extends { name: string }> {
  private readonly items: Map<string, T>;

  constructor(
    private readonly store: JsonStore,
    private readonly file: string,
  ) {
    this.items = new Map(store.read<T[]>(file, []).map((item) => [item.name, item]));
  }

  get(name: string): T | undefined {
    return this.items.get(name);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  put(item: T): void {
    this.items.set(item.name, item);
    this.store.write(this.file, this.list());
  }

  delete(name: string): boolean {
    const had = this.items.delete(name);
    if (had) this.store.write(this.file, this.list());
    return had;
  }
}
