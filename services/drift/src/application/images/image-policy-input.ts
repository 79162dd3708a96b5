import type { ImageChannel } from '../../domain/images/image-channel';
import type { ImagePolicyInput } from './ports/promotion-gate.port';

export interface ImagePolicyFacts {
  readonly family: string;
  readonly version: string;
  readonly digest: string;
  readonly revoked: boolean;
  readonly signature: { readonly verified: boolean; readonly keyId: string | null };
  readonly sbomPresent: boolean;
  /** Whether the SBOM satisfies the packages of the version's contract; null when not checked. */
  readonly sbomContractSatisfied: boolean | null;
  readonly cis: { readonly level: number; readonly score: number };
}

/** The `rf.image_promotion` input: only what the policy reads, so equal facts hash equally. */
export function buildImagePolicyInput(
  now: Date,
  from: ImageChannel | null,
  to: ImageChannel,
  facts: ImagePolicyFacts,
): ImagePolicyInput {
  return {
    now: now.toISOString(),
    action: from === null ? 'image.publish' : 'image.promote',
    from,
    to,
    image: {
      family: facts.family,
      version: facts.version,
      digest: facts.digest,
      revoked: facts.revoked,
      signature: {
        verified: facts.signature.verified,
        ...(facts.signature.keyId === null ? {} : { keyId: facts.signature.keyId }),
      },
      sbom: {
        present: facts.sbomPresent,
        format: facts.sbomPresent ? 'SPDX-2.3' : '',
        ...(facts.sbomContractSatisfied === null ? {} : { contractSatisfied: facts.sbomContractSatisfied }),
      },
      cis: { level: facts.cis.level, score: facts.cis.score },
    },
  };
}
