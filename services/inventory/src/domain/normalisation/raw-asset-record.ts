/**
 * An asset as a connector reports it, before normalisation. Connectors map their provider's response
 * onto these fields and leave interpretation (power states, environments, versions) to the normaliser.
 */
export interface RawAssetRecord {
  /** One of the contract platforms; anything else is rejected by normalisation. */
  readonly platform: string;
  readonly account: string;
  readonly region: string;
  readonly instanceId: string;
  /** The provider's own power state word, e.g. `running`, `poweredOff`, `PowerState/deallocated`. */
  readonly state: string;
  readonly site?: string | null;
  readonly environment?: string | null;
  readonly project?: string | null;
  readonly imageRef?: string | null;
  /** Human name of the image (AMI name, template name) when it differs from the reference. */
  readonly imageName?: string | null;
  /** Tags of the image itself (AMI tags, gallery image tags): evidence of its family and version only. */
  readonly imageTags?: Readonly<Record<string, string>>;
  readonly tags?: Readonly<Record<string, string>>;
}
