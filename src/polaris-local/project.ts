/** The project ID: the one given, else the one kept in the state directory, else a new UUID kept there. */
import { randomUUID } from 'node:crypto';
import type { JsonStore } from './store.js';

const PROJECT_FILE = 'project.json';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isProjectId(value: string): boolean {
  return UUID.test(value);
}

export function resolveProjectId(store: JsonStore, given: string | undefined): string {
  if (given !== undefined) return given;
  const kept = store.read<{ projectId?: string }>(PROJECT_FILE, {}).projectId;
  if (kept !== undefined) return kept;
  const projectId = randomUUID();
  store.write(PROJECT_FILE, { projectId });
  return projectId;
}
