import type { ImageVersion } from '../../domain/images/image-version.entity';
import type { SbomContractCheck } from '../../domain/images/sbom-contract-check';

export interface ImageVersionView {
  readonly id: string;
  readonly family: string;
  readonly version: string;
  readonly channel: string;
  readonly parent: { readonly id: string; readonly family: string; readonly version: string } | null;
  readonly digest: string;
  readonly os: { readonly name: string; readonly version: string };
  readonly artifacts: readonly {
    readonly platform: string;
    readonly region?: string;
    readonly imageRef: string;
  }[];
  readonly contractRef: string | null;
  readonly hardening: { readonly profile: 'cis'; readonly level: number; readonly score: number };
  readonly slsaLevel: number | null;
  readonly sbom: {
    readonly format: 'spdx-2.3+json';
    readonly uri: string;
    readonly sha256: string;
    readonly packageCount: number;
    /** The SBOM against the packages of the contract published with the version; null if none was. */
    readonly contractCheck: SbomContractCheck | null;
  };
  readonly signature: {
    readonly verified: boolean;
    readonly mode: string;
    readonly keyId: string | null;
    readonly identity: string;
    readonly issuer: string;
    readonly failure: string | null;
    readonly checkedAt: string;
  };
  readonly channels: readonly {
    readonly channel: string;
    readonly enteredAt: string;
    readonly policyDecisionId: string | null;
    readonly rollback: boolean;
  }[];
  readonly revoked: boolean;
  readonly revocations: readonly {
    readonly causeVersionId: string;
    readonly inherited: boolean;
    readonly reason: string;
    readonly detail: string;
    readonly effectiveAt: string;
    readonly inForce: boolean;
  }[];
  /** Not revoked and signature verified; never true for a revoked version. */
  readonly compliant: boolean;
  readonly builtAt: string;
  readonly publishedAt: string;
}

export function imageVersionView(v: ImageVersion, now: Date): ImageVersionView {
  const p = v.props;
  return {
    id: p.id,
    family: p.family,
    version: p.version,
    channel: p.channel,
    parent: p.parent,
    digest: p.digest,
    os: p.os,
    artifacts: p.artifacts,
    contractRef: p.contractRef,
    hardening: { profile: 'cis', level: p.cis.level, score: p.cis.score },
    slsaLevel: p.slsaLevel,
    sbom: { format: 'spdx-2.3+json', ...p.sbom },
    signature: { ...p.signature, checkedAt: p.signature.checkedAt.toISOString() },
    channels: p.channels.map((c) => ({ ...c, enteredAt: c.enteredAt.toISOString() })),
    revoked: v.isRevokedAt(now),
    revocations: p.revocations.map((r) => ({
      causeVersionId: r.causeVersionId,
      inherited: r.causeVersionId !== p.id,
      reason: r.reason,
      detail: r.detail,
      effectiveAt: r.effectiveAt.toISOString(),
      inForce: r.effectiveAt.getTime() <= now.getTime(),
    })),
    compliant: v.isCompliantAt(now),
    builtAt: p.builtAt.toISOString(),
    publishedAt: p.publishedAt.toISOString(),
  };
}
