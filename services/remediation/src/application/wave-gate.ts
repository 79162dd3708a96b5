import type { DecisionRecorder, PolicyDecision, PolicyGate, PolicyRequest } from '@rf/platform-policy';
import { POLICIES } from '@rf/platform-policy';
import type { Clock } from './ports/clock.port';
import {
  buildRemediationPolicyInput,
  buildRollbackPolicyInput,
  type RollbackGateRequest,
  type WaveGateRequest,
} from './remediation-policy-input';
import type { RemediationSettings } from './remediation-settings';

export type GateOutcome = 'allow' | 'needs_approval' | 'deny';

export interface WaveGateDecision {
  readonly outcome: GateOutcome;
  readonly decisionId: string;
  readonly reasons: readonly string[];
  readonly enforced: boolean;
}

/**
 * Every remediation decision goes through the fail-closed policy gate (`rf.remediation`). A policy
 * deny the gate lets through in dev mode counts as allow; a needs_approval is never permitted.
 */
export class WaveGate {
  constructor(
    private readonly gate: PolicyGate,
    private readonly settings: RemediationSettings,
    private readonly clock: Clock,
  ) {}

  /** The gate this decides through, for the activities it guards. */
  get policyGate(): PolicyGate {
    return this.gate;
  }

  /** The `rf.remediation` request for a wave, now. */
  request(request: WaveGateRequest): PolicyRequest {
    const profile = this.settings.environments[request.environment] ?? this.settings.defaultEnvironment;
    return {
      policy: POLICIES.remediation,
      action: request.action,
      input: buildRemediationPolicyInput(request, profile, this.clock.now()),
      actor: { kind: 'service', id: 'remediation' },
      resource: { kind: 'plan', id: request.planId },
      organisation: request.organisation,
    };
  }

  /** The `rf.remediation` request for reverting a wave, now. */
  rollbackRequest(request: RollbackGateRequest): PolicyRequest {
    return {
      policy: POLICIES.remediation,
      action: 'remediation.rollback',
      input: buildRollbackPolicyInput(request, this.clock.now()),
      actor: { kind: 'service', id: 'remediation' },
      resource: { kind: 'plan', id: request.planId },
      organisation: request.organisation,
    };
  }

  async decide(request: WaveGateRequest, recorder: DecisionRecorder): Promise<WaveGateDecision> {
    const decision: PolicyDecision = await this.gate.decide(this.request(request), recorder);
    const outcome: GateOutcome =
      decision.result === 'needs_approval' ? 'needs_approval' : decision.permitted ? 'allow' : 'deny';
    return {
      outcome,
      decisionId: decision.decisionId,
      reasons: decision.reasons,
      enforced: decision.enforced,
    };
  }
}
