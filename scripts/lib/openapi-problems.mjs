// Collects what the Polaris-path phase's polaris-local instances recorded in validation mode
// (docs/polaris-local.md, "Validation mode"): each instance's state directory under `root` holds
// openapi-checked.json ({checked, problems}, written on close) and openapi-problems.ndjson (one
// departure from the OpenAPI extract per line, written as it happens).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROBLEMS_FILE = 'openapi-problems.ndjson';
export const SUMMARY_FILE = 'openapi-checked.json';

/** {instances, checked, problems: [{method, route, status, problem}]} over every state directory in root. */
export function collectValidation(root) {
  const out = { instances: 0, checked: 0, problems: [] };
  if (!existsSync(root)) return out;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    const summary = join(dir, SUMMARY_FILE);
    if (existsSync(summary)) {
      out.instances++;
      out.checked += JSON.parse(readFileSync(summary, 'utf8')).checked ?? 0;
    }
    const problems = join(dir, PROBLEMS_FILE);
    if (!existsSync(problems)) continue;
    for (const line of readFileSync(problems, 'utf8').split('\n')) if (line.trim() !== '') out.problems.push(JSON.parse(line));
  }
  return out;
}

/** One line per problem: `METHOD route -> status: problem`. */
export function formatProblems(problems) {
  return problems.map((p) => `${p.method} ${p.route} -> ${p.status}: ${p.problem}`);
}
