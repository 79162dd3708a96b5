import { ImageError } from '../../domain/images/image.error';
import type { PromotionDecision } from './ports/promotion-gate.port';

/** The error for a gate that said no: 403 with the reasons, or 503 when it could not decide. */
export function promotionRefused(decision: PromotionDecision, what: string): ImageError {
  const metadata = { decisionId: decision.decisionId, reasons: [...decision.reasons] };
  if (decision.failedClosed) {
    return new ImageError('IMAGE.POLICY_UNAVAILABLE', `The promotion policy could not decide on ${what}`, {
      metadata,
    });
  }
  return new ImageError('IMAGE.PROMOTION_DENIED', `${what} denied: ${decision.reasons.join('; ')}`, {
    metadata,
  });
}
