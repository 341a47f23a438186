/** The subset of vitest's JSON report read here. */
export interface VitestReport {
  testResults?: Array<{ name: string; assertionResults?: Array<{ status: string; fullName: string }> }>;
}

export interface FileCounts {
  passed: number;
  failed: number;
  skipped: number;
  passedNames: Set<string>;
}

export function fileCounts(report: VitestReport, root: string): Map<string, FileCounts>;
export function countDifferences(druidReport: VitestReport, polarisReport: VitestReport, files: readonly string[], root: string): string[];
