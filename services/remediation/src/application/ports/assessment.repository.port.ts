import type { AutonomyLevel } from '../../domain/risk/autonomy-level';
import type { DeploymentStrategy, RiskAssessment } from '../../domain/risk/risk-assessment';
import type { Actor } from './plan-record';

export interface StoredAssessment extends RiskAssessment {
  readonly id: string;
  /** The organisation of the plan it was made for. */
  readonly organisation: string;
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
  /** An assessment of another organisation is not found. */
  get(organisation: string, id: string): Promise<StoredAssessment | undefined>;
  /** The organisation of an assessment, to log a cross-tenant attempt; never used to read one. */
  organisationOf(id: string): Promise<string | undefined>;
  addOverride(override: RiskOverride): Promise<void>;
  overrides(assessmentId: string): Promise<RiskOverride[]>;
}
