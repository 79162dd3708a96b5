export interface SignatureVerificationRequest {
  /** The signed bytes: the image manifest. */
  readonly payload: Buffer;
  /** A Sigstore bundle (cosign `--bundle`, JSON); undefined when the version came unsigned. */
  readonly bundle: unknown;
}

export interface SignatureVerification {
  readonly verified: boolean;
  /** Key id (key mode) the bundle named; null for certificates or no bundle. */
  readonly keyId: string | null;
  /** Certificate identity, or the key id for key-based signatures; `unsigned` without a bundle. */
  readonly identity: string;
  /** OIDC issuer, or `key` for key-based signatures. */
  readonly issuer: string;
  readonly failure: string | null;
  readonly rekorLogIndex?: number;
}

/** Checks a cosign signature (Sigstore bundle) over an image manifest (ADR-003). */
export interface SignatureVerifier {
  verify(request: SignatureVerificationRequest): Promise<SignatureVerification>;
}
