import { POLICIES, type PolicyGate, policyDecidedData } from '@rf/platform-policy';
import type { ImageActor } from '../../../application/images/ports/image-registry.store.port';
import type {
  ImagePolicyInput,
  PromotionDecision,
  PromotionGate,
} from '../../../application/images/ports/promotion-gate.port';

/** `rf.image_promotion` through the platform policy gate (opa-wasm, fail-closed). */
export class PolicyPromotionGate implements PromotionGate {
  constructor(private readonly gate: PolicyGate) {}

  evaluate(input: ImagePolicyInput, imageVersionId: string, actor: ImageActor): PromotionDecision {
    const decision = this.gate.evaluate({
      policy: POLICIES.imagePromotion,
      action: input.action,
      input,
      actor,
      resource: { kind: 'image', id: imageVersionId },
    });
    return {
      decisionId: decision.decisionId,
      permitted: decision.permitted,
      reasons: decision.reasons,
      failedClosed: decision.error !== undefined,
      event: policyDecidedData(decision, 'drift'),
    };
  }
}
