import type { ImageChannel } from '../../domain/images/image-channel';
import type { ImageVersion, SignatureCheck } from '../../domain/images/image-version.entity';
import { ImageError } from '../../domain/images/image.error';
import { policyDecided } from './image-events';
import { buildImagePolicyInput } from './image-policy-input';
import type { ImageRegistrySettings } from './image-registry.settings';
import type {
  ImageActor,
  ImageRegistryStore,
  ImageRegistryTransaction,
} from './ports/image-registry.store.port';
import type { PromotionDecision, PromotionGate } from './ports/promotion-gate.port';
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

/** A version about to enter a channel, with the signature verification made for it. */
export interface ChannelEntry {
  readonly version: ImageVersion;
  readonly verification: SignatureVerification;
  /** The channel it comes from (the one below, for a rollback into a channel); null for none. */
  readonly from: ImageChannel | null;
  readonly to: ImageChannel;
  readonly now: Date;
  readonly actor: ImageActor;
}

/**
 * Stores the signature check of a version entering a channel and asks the `rf.image_promotion`
 * policy, publishing its decision in the transaction. The caller enters the channel only when the
 * decision permits it.
 */
export async function decideChannelEntry(
  tx: ImageRegistryTransaction,
  gate: PromotionGate,
  settings: ImageRegistrySettings,
  entry: ChannelEntry,
): Promise<PromotionDecision> {
  const { version, verification, now } = entry;
  const signature: SignatureCheck = {
    verified: verification.verified,
    mode: settings.signatureMode,
    keyId: verification.keyId,
    identity: verification.identity,
    issuer: verification.issuer,
    failure: verification.failure,
    checkedAt: now,
  };
  await tx.recordSignatureCheck({
    ...signature,
    family: version.props.family,
    version: version.props.version,
    digest: version.props.digest,
    imageVersionId: version.id,
    purpose: 'promote',
  });
  const decision = gate.evaluate(
    buildImagePolicyInput(now, entry.from, entry.to, {
      family: version.props.family,
      version: version.props.version,
      digest: version.props.digest,
      revoked: false,
      signature: { verified: signature.verified, keyId: signature.keyId },
      sbomPresent: true,
      sbomContractSatisfied: version.props.sbom.contractCheck?.satisfied ?? null,
      cis: version.props.cis,
    }),
    version.id,
    entry.actor,
  );
  tx.publish(policyDecided(decision.event));
  return decision;
}
