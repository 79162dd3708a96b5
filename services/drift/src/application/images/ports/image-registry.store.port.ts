import type { NewEvent } from '@rf/platform-events';
import type { ImageChannel } from '../../../domain/images/image-channel';
import type { LineageEdge } from '../../../domain/images/image-lineage';
import type {
  ImageVersion,
  RevocationReason,
  SignatureCheck,
} from '../../../domain/images/image-version.entity';
import type { ImagePlatform, PlatformRef } from '../../../domain/images/platform-ref';
import type { SbomContractCheck } from '../../../domain/images/sbom-contract-check';

export interface ImageActor {
  readonly kind: 'user' | 'service' | 'policy' | 'schedule';
  readonly id: string;
  readonly displayName?: string;
}

export interface NewImageVersion {
  readonly id: string;
  readonly family: string;
  readonly version: string;
  readonly parentId: string | null;
  readonly digest: string;
  /** The signed manifest, byte for byte as published. */
  readonly manifest: string;
  readonly os: { readonly name: string; readonly version: string };
  readonly artifacts: readonly PlatformRef[];
  readonly contractRef: string | null;
  readonly cis: { readonly level: number; readonly score: number };
  readonly slsaLevel: number | null;
  readonly sbom: {
    readonly uri: string;
    readonly sha256: string;
    readonly document: string;
    readonly packageCount: number;
    readonly contractCheck: SbomContractCheck | null;
  };
  readonly signatureBundle: unknown;
  readonly builtAt: Date;
  readonly publishedAt: Date;
  readonly publishedBy: ImageActor;
}

export interface NewRevocation {
  readonly id: string;
  readonly imageVersionId: string;
  readonly causeVersionId: string;
  readonly reason: RevocationReason;
  readonly detail: string;
  readonly cveIds: readonly string[];
  readonly effectiveAt: Date;
  readonly revokedAt: Date;
  readonly revokedBy: ImageActor;
}

/** A signature check as stored: for a registered version, or for a refused publication. */
export interface SignatureCheckRecord extends SignatureCheck {
  readonly family: string;
  readonly version: string;
  readonly digest: string;
  readonly imageVersionId: string | null;
  readonly purpose: 'publish' | 'promote';
}

export interface ImageListFilter {
  /** Only this organisation's versions: a list never reaches another organisation. */
  readonly organisation: string;
  readonly family?: string;
  readonly channel?: ImageChannel;
  readonly platform?: ImagePlatform;
  /** true: only versions revoked at `now`; false: only those that are not. */
  readonly revoked?: boolean;
  readonly now: Date;
  readonly limit: number;
  /** Keyset position: versions published before this one (newest first). */
  readonly after?: { readonly publishedAt: Date; readonly id: string };
}

/**
 * Work on one organisation's registry inside one database transaction: every read and write is of
 * that organisation's families and versions, and published events, which commit with it through the
 * outbox, carry that organisation.
 */
export interface ImageRegistryTransaction {
  readonly organisation: string;
  /** Creates the family if new and locks it: channel changes of a family are serialised. */
  lockFamily(family: string): Promise<void>;
  findVersion(id: string): Promise<ImageVersion | undefined>;
  findByFamilyVersion(family: string, version: string): Promise<ImageVersion | undefined>;
  findVersions(ids: readonly string[]): Promise<ImageVersion[]>;
  insertVersion(version: NewImageVersion, entry: { readonly policyDecisionId: string }): Promise<void>;
  /**
   * Moves the version into `channel` and records when and by which decision; a rollback records
   * a version re-entering the channel it reached before.
   */
  enterChannel(
    id: string,
    channel: ImageChannel,
    at: Date,
    policyDecisionId: string,
    rollback?: boolean,
  ): Promise<void>;
  /** The version that most recently entered `channel` in `family` (its current one), other than `excludeId`. */
  latestInChannel(
    family: string,
    channel: ImageChannel,
    excludeId?: string,
  ): Promise<ImageVersion | undefined>;
  lineage(): Promise<LineageEdge[]>;
  insertRevocations(revocations: readonly NewRevocation[]): Promise<void>;
  recordSignatureCheck(check: SignatureCheckRecord): Promise<void>;
  publish(...events: NewEvent[]): void;
}

/**
 * The registry. Every read takes the organisation it reads in: a version of another organisation is
 * not found, exactly like one that does not exist.
 */
export interface ImageRegistryStore {
  transaction<T>(organisation: string, work: (tx: ImageRegistryTransaction) => Promise<T>): Promise<T>;
  findVersion(organisation: string, id: string): Promise<ImageVersion | undefined>;
  list(filter: ImageListFilter): Promise<ImageVersion[]>;
  sbomDocument(organisation: string, id: string): Promise<string | undefined>;
  signatureBundle(
    organisation: string,
    id: string,
  ): Promise<{ readonly manifest: string; readonly bundle: unknown } | undefined>;
  /** Stored on its own, for checks of publications that were refused. */
  recordSignatureCheck(organisation: string, check: SignatureCheckRecord): Promise<void>;
}
