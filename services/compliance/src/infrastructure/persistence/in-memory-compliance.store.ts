import { DEFAULT_ORGANISATION } from '@rf/platform-events';
import type {
  ComplianceStore,
  EvidenceLink,
  RecoveryKind,
  StoredScore,
  SubjectKind,
} from '../../application/ports/compliance.store.port';
import type { AssetFacts, RecoveryFacts } from '../../domain/scoring/asset-facts';

type AssetRow = Parameters<ComplianceStore['upsertAsset']>[0];
type ImageRow = Omit<Parameters<ComplianceStore['upsertImage']>[0], 'imageRefs'> & {
  revoked: boolean;
  revokedEventId: string | null;
};

/** One organisation's compliance store in process memory, with the PostgreSQL adapter's rules: for unit tests. */
export class InMemoryComplianceStore implements ComplianceStore {
  constructor(readonly organisation = DEFAULT_ORGANISATION) {}

  private readonly assets = new Map<string, AssetRow>();
  private readonly images = new Map<string, ImageRow>();
  private readonly refs = new Map<string, string>();
  private readonly drift = new Map<string, Parameters<ComplianceStore['recordDrift']>[0]>();
  private readonly coverage = new Map<string, Parameters<ComplianceStore['recordCoverage']>[0]>();
  private readonly recovery = new Map<RecoveryKind, { ok: boolean; completedAt: Date; eventId: string }>();
  private readonly links = new Map<string, EvidenceLink>();
  private readonly dirty = new Map<string, { kind: 'environment' | 'organisation'; id: string }>();
  readonly scores: StoredScore[] = [];

  upsertAsset(asset: AssetRow) {
    const before = this.assets.get(asset.assetId);
    if (before !== undefined && before.observedAt.getTime() > asset.observedAt.getTime()) {
      return Promise.resolve({ applied: false, previousEnvironment: before.environment });
    }
    this.assets.set(asset.assetId, asset);
    return Promise.resolve({ applied: true, previousEnvironment: before?.environment ?? null });
  }

  upsertImage(image: Parameters<ComplianceStore['upsertImage']>[0]): Promise<void> {
    const { imageRefs, ...rest } = image;
    const before = this.images.get(image.imageVersionId);
    this.images.set(image.imageVersionId, {
      ...rest,
      revoked: before?.revoked ?? false,
      revokedEventId: before?.revokedEventId ?? null,
    });
    for (const ref of imageRefs) this.refs.set(ref, image.imageVersionId);
    return Promise.resolve();
  }

  revokeImage(imageVersionId: string, eventId: string): Promise<void> {
    const image = this.images.get(imageVersionId);
    if (image) this.images.set(imageVersionId, { ...image, revoked: true, revokedEventId: eventId });
    return Promise.resolve();
  }

  recordDrift(drift: Parameters<ComplianceStore['recordDrift']>[0]): Promise<void> {
    const before = this.drift.get(drift.assetId);
    if (!before || before.observedAt <= drift.observedAt) this.drift.set(drift.assetId, drift);
    return Promise.resolve();
  }

  recordCoverage(coverage: Parameters<ComplianceStore['recordCoverage']>[0]): Promise<void> {
    const before = this.coverage.get(coverage.environment);
    if (!before || before.takenAt <= coverage.takenAt) this.coverage.set(coverage.environment, coverage);
    return Promise.resolve();
  }

  recordRecovery(r: { kind: RecoveryKind; ok: boolean; completedAt: Date; eventId: string }): Promise<void> {
    const before = this.recovery.get(r.kind);
    if (!before || before.completedAt <= r.completedAt) this.recovery.set(r.kind, r);
    return Promise.resolve();
  }

  linkEvidence(link: EvidenceLink): Promise<void> {
    if (!this.links.has(link.eventId)) this.links.set(link.eventId, link);
    return Promise.resolve();
  }

  assetFacts(filter: { assetIds?: readonly string[]; environment?: string }): Promise<AssetFacts[]> {
    const b = this.recovery.get('backup');
    const r = this.recovery.get('restore');
    const d = this.recovery.get('drill');
    const recovery: RecoveryFacts = {
      lastBackup: b ? { completedAt: b.completedAt, eventId: b.eventId } : null,
      lastRestore: r ? { verified: r.ok, completedAt: r.completedAt, eventId: r.eventId } : null,
      lastDrill: d ? { passed: d.ok, completedAt: d.completedAt, eventId: d.eventId } : null,
    };
    const rows = [...this.assets.values()]
      .filter((a) => filter.assetIds === undefined || filter.assetIds.includes(a.assetId))
      .filter((a) => filter.environment === undefined || a.environment === filter.environment)
      .sort((x, y) => (x.assetId < y.assetId ? -1 : 1));
    return Promise.resolve(
      rows.map((a) => {
        const versionId = a.imageRef === null ? undefined : this.refs.get(a.imageRef);
        const image = versionId === undefined ? undefined : this.images.get(versionId);
        const drift = this.drift.get(a.assetId);
        const coverage = a.environment === null ? undefined : this.coverage.get(a.environment);
        return {
          assetId: a.assetId,
          environment: a.environment,
          state: a.state,
          removed: a.removed,
          imageRef: a.imageRef,
          assetEventId: a.eventId,
          image: image
            ? {
                imageVersionId: image.imageVersionId,
                signatureVerified: image.signatureVerified,
                sbomPresent: image.sbomPresent,
                cisLevel: image.cisLevel,
                slsaBuildLevel: image.slsaBuildLevel,
                revoked: image.revoked,
                eventIds: [image.eventId, image.revokedEventId].filter((x): x is string => x !== null),
              }
            : null,
          drift: drift ? { open: drift.open, detectedAt: drift.detectedAt, eventId: drift.eventId } : null,
          coverage: coverage
            ? { coveragePct: coverage.coveragePct, takenAt: coverage.takenAt, eventId: coverage.eventId }
            : null,
          recovery,
        };
      }),
    );
  }

  assetIdsRunningImage(imageVersionId: string): Promise<string[]> {
    return Promise.resolve(
      [...this.assets.values()]
        .filter((a) => a.imageRef !== null && this.refs.get(a.imageRef) === imageVersionId)
        .map((a) => a.assetId),
    );
  }

  environments(): Promise<string[]> {
    const envs = new Set(
      [...this.assets.values()].flatMap((a) => (a.environment === null ? [] : [a.environment])),
    );
    return Promise.resolve([...envs].sort());
  }

  evidenceLinks(eventIds: readonly string[]): Promise<Map<string, EvidenceLink>> {
    return Promise.resolve(
      new Map(
        eventIds.flatMap((id) => {
          const link = this.links.get(id);
          return link ? [[id, link] as const] : [];
        }),
      ),
    );
  }

  markDirty(kind: 'environment' | 'organisation', ids: readonly string[]): Promise<void> {
    for (const id of ids) this.dirty.set(`${kind}/${id}`, { kind, id });
    return Promise.resolve();
  }

  /** Takes (and clears) up to `limit` of this organisation's marked subjects. */
  takeDirty(limit: number): Promise<{ kind: 'environment' | 'organisation'; id: string }[]> {
    const taken = [...this.dirty.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, limit);
    for (const [key] of taken) this.dirty.delete(key);
    return Promise.resolve(taken.map(([, v]) => v));
  }

  latestScore(kind: SubjectKind, subjectId: string): Promise<StoredScore | undefined> {
    return Promise.resolve(
      this.scores.filter((s) => s.subjectKind === kind && s.subjectId === subjectId).at(-1),
    );
  }

  saveScore(score: StoredScore): Promise<void> {
    this.scores.push(score);
    return Promise.resolve();
  }

  scoreHistory(kind: SubjectKind, subjectId: string, limit: number): Promise<StoredScore[]> {
    const all = this.scores.filter((s) => s.subjectKind === kind && s.subjectId === subjectId);
    return Promise.resolve(all.slice(-limit).reverse());
  }
}
