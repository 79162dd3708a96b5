import type { DriftGroupCounts } from '../../../domain/drift/drift-counters';
import type { TrackedAsset } from '../../../domain/drift/drift-engine';
import type { AssetVerdict, ImageCoordinates } from '../../../domain/drift/drift.types';
import type { ImageFamilyState } from '../../../domain/drift/image-family';
import type { RemediationTarget } from '../../../domain/drift/remediation-target';

/** A family's stored state and when its next scheduled revocation takes effect. */
export interface StoredFamily {
  readonly state: ImageFamilyState;
  readonly nextRevocationAt: number | null;
}

/**
 * The drift read model of one organisation inside one transaction: its assets with their verdicts and
 * open episodes, its image families, provider references and aggregate counters. Nothing of another
 * organisation is read or written through it.
 */
export interface DriftStore {
  readonly organisation: string;
  /** The organisation's incremental updates share a lock that its full reconcile takes exclusively. */
  lockForUpdate(): Promise<void>;
  lockForReconcile(): Promise<void>;

  loadAsset(assetId: string): Promise<TrackedAsset | undefined>;
  saveAssets(assets: readonly TrackedAsset[]): Promise<void>;
  deleteAssets(assetIds: readonly string[]): Promise<void>;
  /** Assets whose verdict names one of these families. */
  assetsOfFamilies(families: readonly string[]): Promise<TrackedAsset[]>;
  /** Assets with no known family that run one of these references (keys of imageRefKey). */
  assetsWithUnknownRefs(refKeys: readonly string[]): Promise<TrackedAsset[]>;
  /**
   * Stages the verdict of every known (family, version) for this transaction, so a full recompute can
   * judge every asset by joining its image reference with them.
   */
  stageVersionVerdicts(verdicts: readonly AssetVerdict[]): Promise<void>;
  /** Assets whose stored verdict or episode differs from the staged judgement, with that judgement. */
  assetsDivergingFromStaged(): Promise<{ readonly asset: TrackedAsset; readonly verdict: AssetVerdict }[]>;
  /** Counters recomputed from every asset's facts and the staged judgement. */
  countersFromStaged(): Promise<DriftGroupCounts[]>;

  resolveRef(refKey: string): Promise<ImageCoordinates | undefined>;
  saveRefs(refs: readonly { readonly key: string; readonly coordinates: ImageCoordinates }[]): Promise<void>;

  loadFamilies(families: readonly string[]): Promise<ImageFamilyState[]>;
  allFamilies(): Promise<ImageFamilyState[]>;
  saveFamilies(families: readonly StoredFamily[]): Promise<void>;
  /** Families with a scheduled revocation due by `now`. */
  familiesWithRevocationDue(now: number): Promise<string[]>;

  /** Adds signed deltas to the counters. */
  addToCounters(deltas: readonly DriftGroupCounts[]): Promise<void>;
  /** Groups holding any asset. */
  counters(): Promise<DriftGroupCounts[]>;
  dropEmptyCounters(): Promise<void>;
  replaceCounters(groups: readonly DriftGroupCounts[]): Promise<void>;

  /** Records what remediation plans target; an asset keeps only its latest plan's target. */
  saveRemediationTargets(targets: readonly RemediationTarget[]): Promise<void>;
  /** The target of an asset's latest plan, locked for this transaction. */
  remediationTarget(assetId: string): Promise<RemediationTarget | undefined>;
  deleteRemediationTarget(assetId: string): Promise<void>;
  /** Forgets the targets of a plan (rolled back: its assets are back where they were). */
  deleteRemediationTargetsOfPlan(planId: string): Promise<void>;
}
