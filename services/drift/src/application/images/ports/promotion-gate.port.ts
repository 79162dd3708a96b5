import type { PolicyDecidedV1 } from '@rf/contracts';
import type { ImageActor } from './image-registry.store.port';

export interface ImagePolicyInput {
  readonly now: string;
  readonly action: 'image.publish' | 'image.promote';
  readonly from: string | null;
  readonly to: string;
  readonly image: {
    readonly family: string;
    readonly version: string;
    readonly digest: string;
    readonly revoked: boolean;
    readonly signature: { readonly verified: boolean; readonly keyId?: string };
    readonly sbom: {
      readonly present: boolean;
      readonly format: string;
      readonly contractSatisfied?: boolean;
    };
    readonly cis: { readonly level: number; readonly score: number };
  };
}

export interface PromotionDecision {
  readonly decisionId: string;
  /** Allowed, or denied by the policy in dev mode. */
  readonly permitted: boolean;
  readonly reasons: readonly string[];
  /** The gate could not evaluate (no bundle, evaluation error): a fail-closed deny. */
  readonly failedClosed: boolean;
  /** `policy.decided` data, published through the outbox with the outcome it guarded. */
  readonly event: PolicyDecidedV1;
}

/** The `rf.image_promotion` policy, evaluated by the platform policy gate. */
export interface PromotionGate {
  evaluate(input: ImagePolicyInput, imageVersionId: string, actor: ImageActor): PromotionDecision;
}
