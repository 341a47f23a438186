import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectValidation, formatProblems, PROBLEMS_FILE, SUMMARY_FILE } from '../../../scripts/lib/openapi-problems.mjs';
import * as validation from '../../../src/polaris-local/validation.js';

describe('collecting the Polaris-path validation records of npm test', () => {
  it('reads the file names polaris-local writes', () => {
    expect([PROBLEMS_FILE, SUMMARY_FILE]).toEqual([validation.PROBLEMS_FILE, validation.SUMMARY_FILE]);
  });

  it('sums the exchanges checked over every state directory and gathers every problem', () => {
    const root = mkdtempSync(join(tmpdir(), 'openapi-problems-'));
    expect(collectValidation(join(root, 'absent'))).toEqual({ instances: 0, checked: 0, problems: [] });
    const problem = { method: 'DELETE', route: '/v1/projects/p/query/sql/q', status: 404, problem: 'request: DELETE /v1/projects/p/query/sql/q is not in the document' };
    for (const [name, checked, problems] of [['polaris-path-a', 12, []], ['polaris-path-b', 3, [problem, { ...problem, status: 405 }]]] as const) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, SUMMARY_FILE), JSON.stringify({ checked, problems: problems.length }));
      if (problems.length > 0) writeFileSync(join(root, name, PROBLEMS_FILE), problems.map((p) => `${JSON.stringify(p)}\n`).join(''));
    }
    // An instance that never closed wrote its problems but no summary.
    mkdirSync(join(root, 'polaris-path-c'));
    writeFileSync(join(root, 'polaris-path-c', PROBLEMS_FILE), `${JSON.stringify(problem)}\n`);
    const collected = collectValidation(root);
    expect(collected).toMatchObject({ instances: 2, checked: 15 });
    expect(formatProblems(collected.problems).sort()).toEqual([
      'DELETE /v1/projects/p/query/sql/q -> 404: request: DELETE /v1/projects/p/query/sql/q is not in the document',
      'DELETE /v1/projects/p/query/sql/q -> 404: request: DELETE /v1/projects/p/query/sql/q is not in the document',
      'DELETE /v1/projects/p/query/sql/q -> 405: request: DELETE /v1/projects/p/query/sql/q is not in the document',
    ]);
  });
});
