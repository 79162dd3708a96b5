import type { ScanProblem } from './scan-problem';

const CODE_PATTERN = /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)+$/;
const MAX_MESSAGE = 2000;
export const DEFAULT_MAX_REPORTED_PROBLEMS = 50;

/**
 * The problems of one scan. All are counted; the first `limit` are reported, then one line saying
 * how many more there were, so a fleet of broken records cannot blow up the `scan.completed` event.
 */
export class ScanProblemLog {
  private readonly kept: ScanProblem[] = [];
  private dropped = 0;

  constructor(private readonly limit: number = DEFAULT_MAX_REPORTED_PROBLEMS) {}

  get total(): number {
    return this.kept.length + this.dropped;
  }

  add(problem: ScanProblem): void {
    if (this.kept.length >= this.limit) {
      this.dropped += 1;
      return;
    }
    this.kept.push(sanitise(problem));
  }

  /** What to report: contract-valid codes, bounded messages, and a summary of what was left out. */
  reported(): ScanProblem[] {
    if (this.dropped === 0) return [...this.kept];
    return [
      ...this.kept,
      {
        code: 'INVENTORY.MORE_PROBLEMS',
        message: `${this.dropped} more problems not listed`,
        retriable: this.kept.every((p) => p.retriable),
      },
    ];
  }
}

function sanitise(problem: ScanProblem): ScanProblem {
  const message = problem.message.trim().slice(0, MAX_MESSAGE);
  const sanitised: { -readonly [K in keyof ScanProblem]: ScanProblem[K] } = {
    code: CODE_PATTERN.test(problem.code) ? problem.code : 'CONNECTOR.ERROR',
    message: message.length > 0 ? message : 'no description',
    retriable: problem.retriable,
  };
  if (problem.account) sanitised.account = problem.account.slice(0, 128);
  if (problem.region) sanitised.region = problem.region.slice(0, 64);
  return sanitised;
}
