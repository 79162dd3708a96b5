import type { AutonomyLevel } from '../../domain/risk/autonomy-level';
import type { DeploymentStrategy, RiskAssessment } from '../../domain/risk/risk-assessment';
import type { Actor } from './plan-record';

export interface StoredAssessment extends RiskAssessment {
  readonly id: string;
}

export interface RiskOverride {
  readonly id: string;
  readonly assessmentId: string;
  readonly autonomyLevel: AutonomyLevel;
  readonly strategy: DeploymentStrategy | null;
  readonly reason: string;
  readonly overriddenBy: Actor;
  readonly overriddenAt: Date;
}

export interface AssessmentRepository {
  insert(assessment: StoredAssessment): Promise<void>;
  get(id: string): Promise<StoredAssessment | undefined>;
  addOverride(override: RiskOverride): Promise<void>;
  overrides(assessmentId: string): Promise<RiskOverride[]>;
}
