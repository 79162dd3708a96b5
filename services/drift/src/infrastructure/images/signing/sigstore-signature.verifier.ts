import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { type Signer, toSignedEntity, toTrustMaterial, type TrustMaterial, Verifier } from '@sigstore/verify';
import { createPublicKey, type KeyObject } from 'node:crypto';
import type {
  SignatureVerification,
  SignatureVerificationRequest,
  SignatureVerifier,
} from '../../../application/images/ports/signature-verifier.port';

/** A cosign public key the registry trusts, under the id bundles name in their key hint. */
export interface TrustedSigningKey {
  readonly keyId: string;
  /** PEM (SPKI), e.g. `cosign.pub`. */
  readonly publicKey: string;
}

export interface SigstoreTrustPolicy {
  readonly keys: readonly TrustedSigningKey[];
  /**
   * A Sigstore `trusted_root.json` (Fulcio CAs, Rekor and CT log keys). Needed for keyless
   * bundles, and for key-based bundles that carry Rekor entries; without it only key-based
   * bundles without transparency-log entries verify (air-gapped signing, ADR-003).
   */
  readonly trustedRoot?: unknown;
  /** Keyless: the certificate identity (SAN) and OIDC issuer a signer must have. */
  readonly certificateIdentity?: string;
  readonly certificateIssuer?: string;
}

const EMPTY_TRUSTED_ROOT = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

/**
 * Verifies Sigstore bundles (cosign `sign-blob --bundle`) over an image manifest with sigstore-js
 * (`@sigstore/verify`, the verifier inside the `sigstore` package). Everything is offline: trust
 * comes from the configured keys and trusted root, never from a TUF download at request time.
 */
export class SigstoreSignatureVerifier implements SignatureVerifier {
  private readonly keys: ReadonlyMap<string, KeyObject>;
  private readonly keyVerifier: Verifier;
  private readonly keylessVerifier: Verifier | undefined;

  constructor(private readonly policy: SigstoreTrustPolicy) {
    this.keys = new Map(policy.keys.map((k) => [k.keyId, createPublicKey(k.publicKey)]));
    const root = TrustedRoot.fromJSON(policy.trustedRoot ?? EMPTY_TRUSTED_ROOT);
    const trust: TrustMaterial = toTrustMaterial(root, (hint) => {
      const publicKey = this.keys.get(hint);
      if (!publicKey) throw new Error(`key ${hint} is not a trusted signing key`);
      return { publicKey, validFor: () => true };
    });
    // Key mode: the trusted key is the root of trust; timestamps and log entries are checked when
    // present (against the trusted root) but not required, so offline-signed bundles verify.
    this.keyVerifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
    this.keylessVerifier =
      policy.trustedRoot === undefined
        ? undefined
        : new Verifier(trust, { tlogThreshold: 1, ctlogThreshold: 1 });
  }

  verify(request: SignatureVerificationRequest): Promise<SignatureVerification> {
    return Promise.resolve(this.verifySync(request));
  }

  private verifySync({ payload, bundle }: SignatureVerificationRequest): SignatureVerification {
    if (bundle === undefined || bundle === null) {
      return {
        verified: false,
        keyId: null,
        identity: 'unsigned',
        issuer: 'none',
        failure: 'no signature bundle',
      };
    }
    let parsed;
    try {
      parsed = bundleFromJSON(bundle);
    } catch (error: unknown) {
      return {
        verified: false,
        keyId: null,
        identity: 'unknown',
        issuer: 'none',
        failure: `malformed bundle: ${message(error)}`,
      };
    }
    const material = parsed.verificationMaterial.content;
    const logIndex = parsed.verificationMaterial.tlogEntries[0]?.logIndex;
    const rekor = logIndex === undefined ? {} : { rekorLogIndex: Number(logIndex) };
    if (material.$case === 'publicKey') {
      const keyId = material.publicKey.hint;
      try {
        this.keyVerifier.verify(toSignedEntity(parsed, payload));
        return { verified: true, keyId, identity: keyId, issuer: 'key', failure: null, ...rekor };
      } catch (error: unknown) {
        return {
          verified: false,
          keyId,
          identity: keyId || 'unknown',
          issuer: 'key',
          failure: message(error),
        };
      }
    }
    if (!this.keylessVerifier) {
      return {
        verified: false,
        keyId: null,
        identity: 'unknown',
        issuer: 'none',
        failure: 'keyless (certificate) bundles need a Sigstore trusted root; none is configured',
      };
    }
    try {
      const signer: Signer = this.keylessVerifier.verify(toSignedEntity(parsed, payload), {
        ...(this.policy.certificateIdentity
          ? { subjectAlternativeName: this.policy.certificateIdentity }
          : {}),
        ...(this.policy.certificateIssuer ? { extensions: { issuer: this.policy.certificateIssuer } } : {}),
      });
      return {
        verified: true,
        keyId: null,
        identity: signer.identity?.subjectAlternativeName ?? 'unknown',
        issuer: signer.identity?.extensions?.issuer ?? 'unknown',
        failure: null,
        ...rekor,
      };
    } catch (error: unknown) {
      return {
        verified: false,
        keyId: null,
        identity: 'unknown',
        issuer: 'unknown',
        failure: message(error),
      };
    }
  }
}
