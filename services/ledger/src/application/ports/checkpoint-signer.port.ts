/** A note signing key: a local Ed25519 key (Ed25519NoteSigner fits), a KMS, or a co-signing witness. */
export interface CheckpointSigner {
  readonly keyName: string;
  /** C2SP signed-note key ID (SHA-256(name || 0x0A || type || public key)[:4]). */
  readonly keyId: number;
  sign(message: Uint8Array): Promise<Uint8Array> | Uint8Array;
}
