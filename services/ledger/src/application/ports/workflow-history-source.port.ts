import type { WorkflowHistoryOutcome } from '@rf/platform-evidence-pack';

/** Where the histories of remediation workflows are read from (Temporal). */
export interface WorkflowHistorySource {
  /** Never throws for a missing workflow or an unreachable server: the outcome says so. */
  history(workflowId: string): Promise<WorkflowHistoryOutcome>;
}
