import type { CredentialReference } from '../../domain/connector/credential-reference.value-object';

/** Looks up the secret a reference points at, at the moment a connector needs it. */
export interface CredentialResolver {
  /** Fails with `INVENTORY.CREDENTIAL_UNRESOLVED` (naming the reference, never a value). */
  resolve(reference: CredentialReference): Promise<string>;
}
