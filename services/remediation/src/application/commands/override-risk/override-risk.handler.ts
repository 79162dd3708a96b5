import { randomUUID } from 'node:crypto';
import { RemediationError } from '../../../domain/remediation.error';
import { isAutonomyLevel } from '../../../domain/risk/autonomy-level';
import type { DeploymentStrategy } from '../../../domain/risk/risk-assessment';
import type { AssessmentRepository, RiskOverride } from '../../ports/assessment.repository.port';
import type { Clock } from '../../ports/clock.port';
import type { Actor } from '../../ports/plan-record';

export interface OverrideRiskCommand {
  /** The organisation acting: the caller's (HTTP) or the event's (Kafka). */
  readonly organisation: string;
  readonly assessmentId: string;
  readonly autonomyLevel: number;
  readonly strategy?: DeploymentStrategy;
  readonly reason: string;
  readonly by: Actor;
}

/** Records a person's override of an assessment next to it; the assessment itself never changes. */
export class OverrideRiskHandler {
  constructor(private readonly clock: Clock) {}

  async execute(assessments: AssessmentRepository, command: OverrideRiskCommand): Promise<RiskOverride> {
    if (!isAutonomyLevel(command.autonomyLevel)) {
      throw new RemediationError(
        'REMEDIATION.INVALID_INPUT',
        'autonomyLevel must be an integer from 0 to 5',
        {
          kind: 'invalid',
        },
      );
    }
    if (command.reason.trim().length === 0) {
      throw new RemediationError('REMEDIATION.INVALID_INPUT', 'an override needs a reason', {
        kind: 'invalid',
      });
    }
    const assessment = await assessments.get(command.organisation, command.assessmentId);
    if (!assessment) {
      throw new RemediationError(
        'REMEDIATION.ASSESSMENT_NOT_FOUND',
        `no risk assessment ${command.assessmentId}`,
        {
          kind: 'not_found',
          metadata: { assessmentId: command.assessmentId },
        },
      );
    }
    const override: RiskOverride = {
      id: randomUUID(),
      assessmentId: assessment.id,
      autonomyLevel: command.autonomyLevel,
      strategy: command.strategy ?? null,
      reason: command.reason,
      overriddenBy: command.by,
      overriddenAt: this.clock.now(),
    };
    await assessments.addOverride(override);
    return override;
  }
}
