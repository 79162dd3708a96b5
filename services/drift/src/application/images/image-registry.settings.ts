/** How the registry treats signatures: `warn` records a failed check, `enforce` refuses the version. */
export type SignatureMode = 'warn' | 'enforce';

export interface ImageRegistrySettings {
  readonly signatureMode: SignatureMode;
}
