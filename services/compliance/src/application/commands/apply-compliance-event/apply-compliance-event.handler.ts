import type { ComplianceScoredV1 } from '@rf/contracts';
import { isScored } from '../../../domain/scoring/asset-facts';
import type { ComplianceThresholds } from '../../../domain/scoring/compliance-thresholds';
import { compositeScore } from '../../../domain/scoring/composite-score';
import { evaluateAssetControls } from '../../../domain/scoring/evaluate-asset-controls';
import type { Clock } from '../../ports/clock.port';
import type { ComplianceStore } from '../../ports/compliance.store.port';
import { ScoreRecorder } from '../../scoring/score-recorder';
import type { ApplyComplianceEventCommand, ComplianceInputEvent } from './apply-compliance-event.command';

/** Which scores an event can move. */
interface Affected {
  readonly assets: readonly string[] | 'all';
  readonly environments: readonly string[];
}

/**
 * Applies one consumed event to its organisation's compliance projections (the store is that
 * organisation's), re-scores the assets it concerns, and marks their environments and the
 * organisation for re-aggregation (ScoreAggregates). A score is
 * stored and announced with compliance.scored only when it differs from the subject's last one. Runs
 * inside the inbox transaction, so projections, scores and announcements commit together.
 */
export class ApplyComplianceEventHandler {
  constructor(
    private readonly store: ComplianceStore,
    private readonly thresholds: ComplianceThresholds,
    private readonly clock: Clock,
  ) {}

  async execute(command: ApplyComplianceEventCommand): Promise<ComplianceScoredV1[]> {
    const affected = await this.project(command.event);
    return affected === null ? [] : this.rescore(affected);
  }

  private async project(event: ComplianceInputEvent): Promise<Affected | null> {
    const s = this.store;
    switch (event.type) {
      case 'io.resiliencefabric.asset.discovered.v1':
      case 'io.resiliencefabric.asset.updated.v1': {
        const d = event.data;
        const result = await s.upsertAsset({
          assetId: d.assetId,
          environment: d.environment ?? null,
          state: d.state,
          removed: false,
          imageRef: d.imageRef ?? null,
          eventId: event.id,
          observedAt: new Date(d.lastSeenAt),
        });
        if (!result.applied) return null;
        const envs = [d.environment, result.previousEnvironment].filter(
          (e): e is string => typeof e === 'string',
        );
        return { assets: [d.assetId], environments: envs };
      }
      case 'io.resiliencefabric.asset.removed.v1': {
        const d = event.data;
        const result = await s.upsertAsset({
          assetId: d.assetId,
          environment: d.environment ?? null,
          state: 'removed',
          removed: true,
          imageRef: null,
          eventId: event.id,
          observedAt: new Date(d.removedAt),
        });
        if (!result.applied) return null;
        const envs = [d.environment, result.previousEnvironment].filter(
          (e): e is string => typeof e === 'string',
        );
        return { assets: [d.assetId], environments: envs };
      }
      case 'io.resiliencefabric.image.published.v1': {
        const d = event.data;
        await s.upsertImage({
          imageVersionId: d.imageVersionId,
          imageRefs: d.artifacts.map((a) => a.imageRef),
          signatureVerified: d.signature.verified,
          sbomPresent: d.sbom.sha256.length > 0,
          cisLevel: d.attestations?.cisLevel ?? null,
          slsaBuildLevel: d.attestations?.slsaBuildLevel ?? null,
          eventId: event.id,
        });
        return { assets: await s.assetIdsRunningImage(d.imageVersionId), environments: [] };
      }
      case 'io.resiliencefabric.image.revoked.v1':
        await s.revokeImage(event.data.imageVersionId, event.id);
        return { assets: await s.assetIdsRunningImage(event.data.imageVersionId), environments: [] };
      case 'io.resiliencefabric.drift.detected.v1': {
        const d = event.data;
        const at = new Date(d.detectedAt);
        await s.recordDrift({
          assetId: d.assetId,
          open: true,
          detectedAt: at,
          eventId: event.id,
          observedAt: at,
        });
        return { assets: [d.assetId], environments: [] };
      }
      case 'io.resiliencefabric.drift.resolved.v1': {
        const d = event.data;
        const at = new Date(d.resolvedAt);
        await s.recordDrift({
          assetId: d.assetId,
          open: false,
          detectedAt: at,
          eventId: event.id,
          observedAt: at,
        });
        return { assets: [d.assetId], environments: [] };
      }
      case 'io.resiliencefabric.drift.snapshot.v1': {
        const d = event.data;
        // Only a whole environment's snapshot measures its coverage; narrower scopes are parts of it.
        const env = d.scope.environment;
        if (env === undefined || d.scope.platform !== undefined || d.scope.site !== undefined) return null;
        await s.recordCoverage({
          environment: env,
          coveragePct: d.coveragePct,
          takenAt: new Date(d.takenAt),
          eventId: event.id,
        });
        const assets = await s.assetFacts({ environment: env });
        return { assets: assets.map((a) => a.assetId), environments: [env] };
      }
      case 'io.resiliencefabric.backup.completed.v1':
        await s.recordRecovery({
          kind: 'backup',
          ok: true,
          completedAt: new Date(event.data.completedAt),
          eventId: event.id,
        });
        return { assets: 'all', environments: [] };
      case 'io.resiliencefabric.restore.completed.v1': {
        const d = event.data;
        const ok = d.outcome === 'succeeded' && d.verified;
        await s.recordRecovery({
          kind: 'restore',
          ok,
          completedAt: new Date(d.completedAt),
          eventId: event.id,
        });
        return { assets: 'all', environments: [] };
      }
      case 'io.resiliencefabric.drill.completed.v1':
        await s.recordRecovery({
          kind: 'drill',
          ok: event.data.passed,
          completedAt: new Date(event.data.completedAt),
          eventId: event.id,
        });
        return { assets: 'all', environments: [] };
      case 'io.resiliencefabric.evidence.appended.v1':
        // Explanations look links up when asked, so a link never needs a new score.
        await s.linkEvidence({
          eventId: event.data.sourceEventId,
          index: event.data.index,
          leafHash: event.data.leafHash,
        });
        return null;
    }
  }

  private async rescore(affected: Affected): Promise<ComplianceScoredV1[]> {
    const now = this.clock.now();
    const recorder = new ScoreRecorder(this.store, this.thresholds);
    const out: ComplianceScoredV1[] = [];
    const assets = await this.store.assetFacts(
      affected.assets === 'all' ? {} : { assetIds: affected.assets },
    );
    const environments = new Set(affected.environments);
    for (const asset of assets) {
      if (asset.environment !== null) environments.add(asset.environment);
      if (!isScored(asset)) continue;
      const controls = evaluateAssetControls(asset, this.thresholds, now);
      const score = compositeScore(controls);
      if (score === null) continue;
      const scored = await recorder.record('asset', asset.assetId, score, controls, now);
      if (scored) out.push(scored);
    }
    // Environments and the organisation are re-aggregated shortly after, once per burst of events.
    await this.store.markDirty('environment', [...environments]);
    // The organisation-wide score of the event's organisation, whose id is the organisation's own.
    await this.store.markDirty('organisation', [this.store.organisation]);
    return out;
  }
}
