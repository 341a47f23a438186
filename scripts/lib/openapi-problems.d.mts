export interface RecordedProblem {
  method: string;
  route: string;
  status: number;
  problem: string;
}

export const PROBLEMS_FILE: string;
export const SUMMARY_FILE: string;
export function collectValidation(root: string): { instances: number; checked: number; problems: RecordedProblem[] };
export function formatProblems(problems: readonly RecordedProblem[]): string[];
