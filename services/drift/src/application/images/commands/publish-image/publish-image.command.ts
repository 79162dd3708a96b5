import type { ImageActor } from '../../ports/image-registry.store.port';

/** Registers a built image version: its signed manifest, its SBOM and the signature bundle. */
export class PublishImageCommand {
  constructor(
    /** The publisher's organisation: the family is that organisation's. */
    readonly organisation: string,
    /** The manifest exactly as signed. */
    readonly manifest: string,
    /** The SPDX 2.3 JSON document exactly as produced; its SHA-256 is in the manifest. */
    readonly sbom: string,
    /** The Sigstore bundle over the manifest; undefined for an unsigned build. */
    readonly signatureBundle: unknown,
    readonly actor: ImageActor,
    /** The image contract the manifest names (YAML text); its packages are checked against the SBOM. */
    readonly contract?: string,
  ) {}
}
