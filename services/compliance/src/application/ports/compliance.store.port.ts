import type { AssetFacts } from '../../domain/scoring/asset-facts';
import type { ComplianceBadge, ControlStatus } from '../../domain/scoring/control-evaluation';

export type SubjectKind = 'asset' | 'environment' | 'organisation';
export type RecoveryKind = 'backup' | 'restore' | 'drill';

export interface EvidenceLink {
  readonly eventId: string;
  readonly index: number;
  readonly leafHash: string;
}

export interface StoredControl {
  readonly controlId: string;
  readonly weight: number;
  readonly status: ControlStatus;
  readonly reason: string;
  readonly evidenceEventIds: readonly string[];
  /** For environments and the organisation: how many assets the control applies to, and pass. */
  readonly applicable?: number;
  readonly passing?: number;
}

export interface StoredScore {
  readonly scoreId: string;
  readonly subjectKind: SubjectKind;
  readonly subjectId: string;
  readonly score: number;
  readonly previousScore: number | null;
  readonly target: number;
  readonly badge: ComplianceBadge;
  readonly controls: readonly StoredControl[];
  readonly scoredAt: Date;
}

/**
 * One organisation's compliance: the service's own view of its part of the platform (projections of
 * the events it consumes) and its scores. Built on the inbox transaction's EntityManager, its writes
 * commit with the inbox record. Nothing of another organisation is ever read, written or pooled.
 */
export interface ComplianceStore {
  /** The organisation every read and write is scoped to. */
  readonly organisation: string;
  /** Applies an asset observation unless a newer one is stored; returns the environment it had before. */
  upsertAsset(asset: {
    assetId: string;
    environment: string | null;
    state: string;
    removed: boolean;
    imageRef: string | null;
    eventId: string;
    observedAt: Date;
  }): Promise<{ applied: boolean; previousEnvironment: string | null }>;
  upsertImage(image: {
    imageVersionId: string;
    imageRefs: readonly string[];
    signatureVerified: boolean;
    sbomPresent: boolean;
    cisLevel: number | null;
    slsaBuildLevel: number | null;
    eventId: string;
  }): Promise<void>;
  revokeImage(imageVersionId: string, eventId: string): Promise<void>;
  recordDrift(drift: {
    assetId: string;
    open: boolean;
    detectedAt: Date;
    eventId: string;
    observedAt: Date;
  }): Promise<void>;
  recordCoverage(coverage: {
    environment: string;
    coveragePct: number;
    takenAt: Date;
    eventId: string;
  }): Promise<void>;
  /** Keeps the latest of each kind by completion time. */
  recordRecovery(recovery: {
    kind: RecoveryKind;
    ok: boolean;
    completedAt: Date;
    eventId: string;
  }): Promise<void>;
  linkEvidence(link: EvidenceLink): Promise<void>;

  /** Facts of the given assets, or of every asset in an environment, or of all of them. */
  assetFacts(filter: { assetIds?: readonly string[]; environment?: string }): Promise<AssetFacts[]>;
  assetIdsRunningImage(imageVersionId: string): Promise<string[]>;
  environments(): Promise<string[]>;
  evidenceLinks(eventIds: readonly string[]): Promise<Map<string, EvidenceLink>>;

  /** Marks environments or the organisation (its own id) for re-aggregation. */
  markDirty(kind: 'environment' | 'organisation', ids: readonly string[]): Promise<void>;

  latestScore(kind: SubjectKind, subjectId: string): Promise<StoredScore | undefined>;
  saveScore(score: StoredScore): Promise<void>;
  scoreHistory(kind: SubjectKind, subjectId: string, limit: number): Promise<StoredScore[]>;
}

/** An environment or organisation of one organisation, marked for re-aggregation. */
export interface DirtySubject {
  readonly organisation: string;
  readonly kind: 'environment' | 'organisation';
  readonly id: string;
}

/** The compliance store of each organisation, and the subjects marked across organisations. */
export interface ComplianceTenants {
  forOrganisation(organisation: string): ComplianceStore;
  /** Takes (and clears) up to `limit` marked subjects, of any organisation. */
  takeDirty(limit: number): Promise<DirtySubject[]>;
}
