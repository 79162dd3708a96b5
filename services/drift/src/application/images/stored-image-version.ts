import type { ImageVersion } from '../../domain/images/image-version.entity';
import { ImageError } from '../../domain/images/image.error';
import type { ImageRegistryStore, ImageRegistryTransaction } from './ports/image-registry.store.port';
import type { SignatureVerification, SignatureVerifier } from './ports/signature-verifier.port';

export function imageVersionNotFound(id: string): ImageError {
  return new ImageError('IMAGE.NOT_FOUND', `No image version ${id}`, { metadata: { imageVersionId: id } });
}

/**
 * Verifies a stored version's signature again before it enters a channel: keys may have been
 * withdrawn since publication. Runs outside the transaction, so no lock waits on the verifier.
 */
export async function verifyStoredSignature(
  store: ImageRegistryStore,
  verifier: SignatureVerifier,
  organisation: string,
  imageVersionId: string,
): Promise<SignatureVerification> {
  const signed = await store.signatureBundle(organisation, imageVersionId);
  if (!signed) throw imageVersionNotFound(imageVersionId);
  return verifier.verify({
    payload: Buffer.from(signed.manifest, 'utf8'),
    bundle: signed.bundle ?? undefined,
  });
}

export interface LockedImageVersion {
  /** As read before the family lock was taken. */
  readonly found: ImageVersion;
  /** As read again under the lock: concurrent promotions and revocations of the family have landed. */
  readonly version: ImageVersion;
}

/** Takes the lock of a version's family, so channel changes within one family happen one at a time. */
export async function lockImageVersion(
  tx: ImageRegistryTransaction,
  imageVersionId: string,
): Promise<LockedImageVersion> {
  const found = await tx.findVersion(imageVersionId);
  if (!found) throw imageVersionNotFound(imageVersionId);
  await tx.lockFamily(found.props.family);
  const version = (await tx.findVersion(imageVersionId)) ?? found;
  return { found, version };
}
