import type { ImagePromotedV1, ImagePublishedV1, ImageRevokedV1, PolicyDecidedV1 } from '@rf/contracts';
import type { NewEvent } from '@rf/platform-events';

export const IMAGE_PUBLISHED = 'io.resiliencefabric.image.published.v1';
export const IMAGE_PROMOTED = 'io.resiliencefabric.image.promoted.v1';
export const IMAGE_REVOKED = 'io.resiliencefabric.image.revoked.v1';
export const POLICY_DECIDED = 'io.resiliencefabric.policy.decided.v1';

export const imagePublished = (data: ImagePublishedV1): NewEvent<ImagePublishedV1> => ({
  type: IMAGE_PUBLISHED,
  data,
});
export const imagePromoted = (data: ImagePromotedV1, causationId: string): NewEvent<ImagePromotedV1> => ({
  type: IMAGE_PROMOTED,
  data,
  causationId,
});
export const imageRevoked = (data: ImageRevokedV1): NewEvent<ImageRevokedV1> => ({
  type: IMAGE_REVOKED,
  data,
});
/** The decision id is the event id: a decision is recorded once. */
export const policyDecided = (data: PolicyDecidedV1): NewEvent<PolicyDecidedV1> => ({
  type: POLICY_DECIDED,
  id: data.decisionId,
  data,
});
