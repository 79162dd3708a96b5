import type { RiskOverride, StoredAssessment } from '../../ports/assessment.repository.port';
import type { PlanRecord } from '../../ports/plan-record';
import type { RolloutProgress } from '../../ports/rollout-workflows.port';

export interface PlanView {
  readonly plan: PlanRecord;
  readonly assessment: StoredAssessment | null;
  readonly overrides: readonly RiskOverride[];
  /** Live progress from the workflow; null before it starts or when Temporal cannot answer. */
  readonly progress: RolloutProgress | null;
  readonly progressError: string | null;
}
