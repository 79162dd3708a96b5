import { type ImageChannel, nextChannel } from './image-channel';
import { ImageError } from './image.error';
import type { PlatformRef } from './platform-ref';
import type { SbomContractCheck } from './sbom-contract-check';

export type RevocationReason =
  'vulnerability' | 'compromised_signature' | 'compliance_failure' | 'defective' | 'superseded';

/** A revocation that applies to a version: its own, or one inherited from an ancestor. */
export interface Revocation {
  readonly id: string;
  /** The version the revocation was issued for; this version's own id unless inherited. */
  readonly causeVersionId: string;
  readonly reason: RevocationReason;
  readonly detail: string;
  readonly effectiveAt: Date;
  readonly revokedAt: Date;
}

/** The stored outcome of checking a version's cosign signature. */
export interface SignatureCheck {
  readonly verified: boolean;
  /** `warn` records a failure and goes on; `enforce` refuses the version. */
  readonly mode: 'warn' | 'enforce';
  readonly keyId: string | null;
  readonly identity: string;
  readonly issuer: string;
  readonly failure: string | null;
  readonly checkedAt: Date;
}

export interface ChannelEntry {
  readonly channel: ImageChannel;
  readonly enteredAt: Date;
  readonly policyDecisionId: string | null;
  /** Re-entered by a rollback of the channel. */
  readonly rollback: boolean;
}

export interface ImageVersionProps {
  readonly id: string;
  readonly family: string;
  readonly version: string;
  readonly channel: ImageChannel;
  readonly parent: { readonly id: string; readonly family: string; readonly version: string } | null;
  readonly digest: string;
  readonly os: { readonly name: string; readonly version: string };
  readonly artifacts: readonly PlatformRef[];
  readonly contractRef: string | null;
  readonly cis: { readonly level: number; readonly score: number };
  readonly slsaLevel: number | null;
  readonly sbom: {
    readonly uri: string;
    readonly sha256: string;
    readonly packageCount: number;
    /** The SBOM against the packages of the contract published with the version; null if none was. */
    readonly contractCheck: SbomContractCheck | null;
  };
  readonly signature: SignatureCheck;
  readonly builtAt: Date;
  readonly publishedAt: Date;
  readonly channels: readonly ChannelEntry[];
  readonly revocations: readonly Revocation[];
}

/** A golden-image version in the registry, with the rules on its channel and revocation. */
export class ImageVersion {
  constructor(readonly props: ImageVersionProps) {}

  get id(): string {
    return this.props.id;
  }

  /** The revocation in force at `now`: the earliest effective one, own or inherited. */
  revocationAt(now: Date): Revocation | undefined {
    return [...this.props.revocations]
      .filter((r) => r.effectiveAt.getTime() <= now.getTime())
      .sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime())[0];
  }

  isRevokedAt(now: Date): boolean {
    return this.revocationAt(now) !== undefined;
  }

  /** Revocations recorded but not yet in force. */
  scheduledRevocations(now: Date): Revocation[] {
    return this.props.revocations.filter((r) => r.effectiveAt.getTime() > now.getTime());
  }

  /**
   * Whether the version meets the registry's own bar at `now`: never when revoked, and only with a
   * verified signature. Channel requirements (CIS, SBOM) are the promotion policy's to judge.
   */
  isCompliantAt(now: Date): boolean {
    return !this.isRevokedAt(now) && this.props.signature.verified;
  }

  /** The channel a promotion moves it to: the next one, if it is not revoked and not in prod yet. */
  promotionTarget(now: Date, requested?: ImageChannel): ImageChannel {
    if (this.isRevokedAt(now)) {
      throw new ImageError('IMAGE.REVOKED', `${this.label} is revoked and cannot be promoted`, {
        metadata: { imageVersionId: this.id },
      });
    }
    const next = nextChannel(this.props.channel);
    if (next === undefined) {
      throw new ImageError('IMAGE.CHANNEL_INVALID', `${this.label} is already in prod`, {
        metadata: { channel: this.props.channel },
      });
    }
    if (requested !== undefined && requested !== next) {
      throw new ImageError(
        'IMAGE.CHANNEL_INVALID',
        `${this.label} is in ${this.props.channel}; it can only be promoted to ${next}, not ${requested}`,
        { metadata: { channel: this.props.channel, requested } },
      );
    }
    return next;
  }

  /**
   * The channel a rollback makes this version current in again: the one it reached, provided it
   * is not revoked and is not the channel's current version already (`currentId`).
   */
  rollbackChannel(now: Date, currentId: string | undefined): ImageChannel {
    if (this.isRevokedAt(now)) {
      throw new ImageError('IMAGE.REVOKED', `${this.label} is revoked; a channel cannot roll back to it`, {
        metadata: { imageVersionId: this.id },
      });
    }
    if (currentId === undefined || currentId === this.id) {
      throw new ImageError(
        'IMAGE.CHANNEL_INVALID',
        `${this.label} is the current version of ${this.props.channel}`,
        {
          metadata: { channel: this.props.channel },
        },
      );
    }
    return this.props.channel;
  }

  get label(): string {
    return `${this.props.family}@${this.props.version}`;
  }
}
