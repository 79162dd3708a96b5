import { createHash, randomUUID } from 'node:crypto';
import type { SignatureCheck } from '../../../../domain/images/image-version.entity';
import { ImageError } from '../../../../domain/images/image.error';
import { assertPlatformRefs } from '../../../../domain/images/platform-ref';
import {
  checkSbomAgainstContract,
  type SbomContractCheck,
} from '../../../../domain/images/sbom-contract-check';
import { parseSpdx23, type SbomPackage } from '../../../../domain/images/spdx-document';
import { readContractPackages } from '../../image-contract.reader';
import { imagePublished, policyDecided } from '../../image-events';
import { type ImageManifest, parseImageManifest } from '../../image-manifest.schema';
import { buildImagePolicyInput } from '../../image-policy-input';
import type { ImageRegistrySettings } from '../../image-registry.settings';
import type { Clock } from '../../ports/clock.port';
import type { ImageRegistryStore, NewImageVersion } from '../../ports/image-registry.store.port';
import type { PromotionDecision, PromotionGate } from '../../ports/promotion-gate.port';
import type { SignatureVerifier } from '../../ports/signature-verifier.port';
import { promotionRefused } from '../../promotion-denied';
import type { PublishImageCommand } from './publish-image.command';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Registers an image version in `dev`: the manifest and SBOM are checked against each other, the
 * signature is verified (failures are stored; `enforce` refuses the version), and the promotion
 * policy must admit the version to `dev`. The version, its decision and `image.published` commit
 * together; a refusal still records its decision.
 */
export class PublishImageHandler {
  constructor(
    private readonly store: ImageRegistryStore,
    private readonly verifier: SignatureVerifier,
    private readonly gate: PromotionGate,
    private readonly clock: Clock,
    private readonly settings: ImageRegistrySettings,
  ) {}

  async execute(command: PublishImageCommand): Promise<{ readonly id: string }> {
    const manifest = parseImageManifest(command.manifest);
    assertPlatformRefs(manifest.artifacts);
    const sbomSha256 = sha256(command.sbom);
    if (sbomSha256 !== manifest.sbom.sha256) {
      throw new ImageError('IMAGE.SBOM_DIGEST_MISMATCH', 'The SBOM is not the one the manifest names', {
        metadata: { expected: manifest.sbom.sha256, actual: sbomSha256 },
      });
    }
    const sbom = parseSpdx23(command.sbom);
    if (!sbom.ok) {
      throw new ImageError('IMAGE.SBOM_INVALID', `Invalid SPDX 2.3 SBOM: ${sbom.problems.join('; ')}`, {
        metadata: { problems: [...sbom.problems] },
      });
    }
    const contractCheck = this.checkContract(command, manifest, sbom.document.packages);
    const digest = `sha256:${sha256(command.manifest)}`;
    const verification = await this.verifier.verify({
      payload: Buffer.from(command.manifest, 'utf8'),
      bundle: command.signatureBundle,
    });
    const now = this.clock.now();
    const signature: SignatureCheck = {
      verified: verification.verified,
      mode: this.settings.signatureMode,
      keyId: verification.keyId,
      identity: verification.identity,
      issuer: verification.issuer,
      failure: verification.failure,
      checkedAt: now,
    };
    const checkRecord = {
      ...signature,
      family: manifest.family,
      version: manifest.version,
      digest,
      purpose: 'publish' as const,
    };
    if (!signature.verified && this.settings.signatureMode === 'enforce') {
      await this.store.recordSignatureCheck(command.organisation, { ...checkRecord, imageVersionId: null });
      throw new ImageError(
        'IMAGE.SIGNATURE_REJECTED',
        `The signature of ${manifest.family}@${manifest.version} does not verify: ${signature.failure ?? 'unknown'}`,
        { metadata: { family: manifest.family, version: manifest.version } },
      );
    }

    const id = randomUUID();
    const outcome = await this.store.transaction(
      command.organisation,
      async (tx): Promise<PromotionDecision | undefined> => {
        await tx.lockFamily(manifest.family);
        if (await tx.findByFamilyVersion(manifest.family, manifest.version)) {
          throw new ImageError(
            'IMAGE.VERSION_EXISTS',
            `${manifest.family}@${manifest.version} is already registered`,
            {
              metadata: { family: manifest.family, version: manifest.version },
            },
          );
        }
        const parent = manifest.parent
          ? await tx.findByFamilyVersion(manifest.parent.family, manifest.parent.version)
          : undefined;
        if (manifest.parent && !parent) {
          throw new ImageError(
            'IMAGE.PARENT_NOT_FOUND',
            `The parent image ${manifest.parent.family}@${manifest.parent.version} is not registered`,
            { metadata: { ...manifest.parent } },
          );
        }
        if (parent?.isRevokedAt(now)) {
          throw new ImageError('IMAGE.PARENT_REVOKED', `The parent image ${parent.label} is revoked`, {
            metadata: { parentId: parent.id },
          });
        }
        const decision = this.gate.evaluate(
          buildImagePolicyInput(now, null, 'dev', {
            family: manifest.family,
            version: manifest.version,
            digest,
            revoked: false,
            signature: { verified: signature.verified, keyId: signature.keyId },
            sbomPresent: true,
            sbomContractSatisfied: contractCheck?.satisfied ?? null,
            cis: { level: manifest.hardening.level, score: manifest.hardening.score },
          }),
          id,
          command.actor,
        );
        tx.publish(policyDecided(decision.event));
        if (!decision.permitted) return decision;

        const version: NewImageVersion = {
          id,
          family: manifest.family,
          version: manifest.version,
          parentId: parent?.id ?? null,
          digest,
          manifest: command.manifest,
          os: manifest.os,
          artifacts: manifest.artifacts,
          contractRef: manifest.contractRef ?? null,
          cis: { level: manifest.hardening.level, score: manifest.hardening.score },
          slsaLevel: manifest.provenance?.slsaLevel ?? null,
          sbom: {
            uri: manifest.sbom.uri,
            sha256: sbomSha256,
            document: command.sbom,
            packageCount: sbom.document.packages.length,
            contractCheck,
          },
          signatureBundle: command.signatureBundle ?? null,
          builtAt: new Date(manifest.builtAt),
          publishedAt: now,
          publishedBy: command.actor,
        };
        await tx.insertVersion(version, { policyDecisionId: decision.decisionId });
        await tx.recordSignatureCheck({ ...checkRecord, imageVersionId: id });
        // A revocation of the parent scheduled for later applies to the child from the same time.
        if (parent) {
          await tx.insertRevocations(
            parent.scheduledRevocations(now).map((r) => ({
              id: randomUUID(),
              imageVersionId: id,
              causeVersionId: r.causeVersionId,
              reason: r.reason,
              detail: r.detail,
              cveIds: [],
              effectiveAt: r.effectiveAt,
              revokedAt: now,
              revokedBy: command.actor,
            })),
          );
        }
        tx.publish(
          imagePublished({
            family: manifest.family,
            version: manifest.version,
            imageVersionId: id,
            digest,
            channel: 'dev',
            ...(parent
              ? {
                  parent: {
                    family: parent.props.family,
                    version: parent.props.version,
                    imageVersionId: parent.id,
                  },
                }
              : {}),
            os: manifest.os,
            artifacts: manifest.artifacts.map((a) => ({ ...a })),
            ...(manifest.contractRef ? { contractRef: manifest.contractRef } : {}),
            sbom: { format: 'spdx-2.3+json', uri: manifest.sbom.uri, sha256: sbomSha256 },
            signature: {
              verified: signature.verified,
              identity: signature.identity,
              issuer: signature.issuer,
              ...(verification.rekorLogIndex === undefined
                ? {}
                : { rekorLogIndex: verification.rekorLogIndex }),
            },
            builtAt: new Date(manifest.builtAt).toISOString(),
            publishedAt: now.toISOString(),
          }),
        );
        return undefined;
      },
    );
    if (outcome) throw promotionRefused(outcome, `Publishing ${manifest.family}@${manifest.version} to dev`);
    return { id };
  }

  /**
   * The SBOM against the packages of the contract sent with the publication: the contract must be
   * the one the signed manifest names (family, revision, and SHA-256 when the manifest gives it).
   */
  private checkContract(
    command: PublishImageCommand,
    manifest: ImageManifest,
    packages: readonly SbomPackage[],
  ): SbomContractCheck | null {
    if (command.contract === undefined) return null;
    if (manifest.contractSha256 !== undefined && sha256(command.contract) !== manifest.contractSha256) {
      throw new ImageError('IMAGE.CONTRACT_MISMATCH', 'The contract is not the one the manifest names', {
        metadata: { expected: manifest.contractSha256, actual: sha256(command.contract) },
      });
    }
    const rules = readContractPackages(command.contract, manifest);
    return checkSbomAgainstContract(manifest.contractRef ?? '', rules, packages);
  }
}
