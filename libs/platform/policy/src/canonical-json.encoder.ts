import { CanonicalJsonError, canonicalJson as encode } from '@rf/platform-canonical-json';
import { hash } from 'node:crypto';
import { PolicyError } from './policy.error';

/** Deeper inputs are refused: nothing a policy reads is nested this far, and it bounds recursion. */
export const MAX_INPUT_DEPTH = 64;

/**
 * RFC 8785 text of a policy input as JSON.stringify sees it (Dates become ISO strings, undefined
 * members are left out). Anything JSON cannot represent is refused rather than dropped, so two
 * different inputs never share a hash.
 */
export function canonicalJson(value: unknown): string {
  try {
    return encode(value, { input: 'javascript', maxDepth: MAX_INPUT_DEPTH });
  } catch (error: unknown) {
    if (!(error instanceof CanonicalJsonError)) throw error;
    throw new PolicyError('POLICY.INPUT_INVALID', `policy input is ${error.message}`, {
      metadata: { path: error.path },
    });
  }
}

/** SHA-256 of the canonical JSON of `value`, lowercase hex: the `inputHash` of a decision. */
export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

export function sha256Hex(text: string | Uint8Array): string {
  // One-shot: no Hash object per decision.
  return hash('sha256', text, 'hex');
}
