import type {
  AssetDiscoveredV1,
  AssetRemovedV1,
  AssetUpdatedV1,
  DriftDetectedV1,
  DriftResolvedV1,
  DriftSnapshotV1,
  ImagePromotedV1,
  ImagePublishedV1,
  ImageRevokedV1,
} from '@rf/contracts';
import type { NewEvent } from '@rf/platform-events';
import {
  DRIFT_DETECTED,
  DRIFT_RESOLVED,
  DRIFT_SNAPSHOT,
  UNASSIGNED_ENVIRONMENT,
} from '../../../application/drift/drift-event-types';
import type { DriftSnapshotRecord } from '../../../application/drift/ports/drift-read-model.port';
import { driftAgeDays, type ReportFilter } from '../../../domain/drift/drift-report';
import type { DriftInput, DriftTransition } from '../../../domain/drift/drift.types';

export function assetSeenInput(data: AssetDiscoveredV1 | AssetUpdatedV1): DriftInput {
  return {
    kind: 'asset-seen',
    asset: {
      assetId: data.assetId,
      environment: data.environment ?? UNASSIGNED_ENVIRONMENT,
      platform: data.platform,
      site: data.site ?? null,
      region: data.region,
      imageRef: data.imageRef ?? null,
      state: data.state,
    },
  };
}

export function assetRemovedInput(data: AssetRemovedV1): DriftInput {
  return { kind: 'asset-removed', assetId: data.assetId };
}

export function imagePublishedInput(data: ImagePublishedV1): DriftInput {
  return {
    kind: 'image-published',
    family: data.family,
    version: data.version,
    artifacts: data.artifacts.map((a) => ({ platform: a.platform, imageRef: a.imageRef })),
    allowedLagVersions: data.allowedLagVersions ?? null,
    at: Date.parse(data.publishedAt),
  };
}

export function imagePromotedInput(data: ImagePromotedV1): DriftInput {
  return {
    kind: 'image-promoted',
    family: data.family,
    version: data.version,
    toChannel: data.toChannel,
    allowedLagVersions: data.allowedLagVersions ?? null,
    at: Date.parse(data.promotedAt),
  };
}

export function imageRevokedInput(data: ImageRevokedV1): DriftInput {
  return {
    kind: 'image-revoked',
    versions: [
      { family: data.family, version: data.version },
      ...data.descendants.map((d) => ({ family: d.family, version: d.version })),
    ],
    effectiveAt: Date.parse(data.effectiveAt),
  };
}

/** drift.detected or drift.resolved for a transition of an asset of `organisation`, keyed by asset. */
export function transitionEvent(t: DriftTransition, organisation: string): NewEvent {
  const { asset, episode } = t;
  const where = {
    environment: asset.environment,
    platform: asset.platform,
    ...(asset.site === null ? {} : { site: asset.site }),
  };
  const time = new Date(t.at);
  if (t.kind === 'detected') {
    const data: DriftDetectedV1 = {
      driftId: episode.driftId,
      assetId: asset.assetId,
      family: episode.family,
      runningVersion: episode.runningVersion,
      expectedVersion: episode.expectedVersion,
      channel: 'prod',
      cause: episode.cause,
      driftAgeDays: driftAgeDays(episode.since, t.at),
      ...where,
      region: asset.region,
      detectedAt: time.toISOString(),
    };
    return { type: DRIFT_DETECTED, data, time, organisation };
  }
  const data: DriftResolvedV1 = {
    driftId: episode.driftId,
    assetId: asset.assetId,
    family: episode.family,
    previousVersion: episode.runningVersion,
    ...(t.currentVersion === null ? {} : { currentVersion: t.currentVersion }),
    resolution: t.resolution,
    ...(t.remediationPlanId === undefined ? {} : { remediationPlanId: t.remediationPlanId }),
    driftAgeDays: driftAgeDays(episode.openedAt, t.at),
    ...where,
    resolvedAt: time.toISOString(),
  };
  return { type: DRIFT_RESOLVED, data, time, organisation };
}

function scopeOf(scopeId: string): ReportFilter {
  if (scopeId === 'all') return {};
  const scope: Record<string, string> = {};
  for (const segment of scopeId.split('/')) {
    const at = segment.indexOf(':');
    scope[segment.slice(0, at)] = segment.slice(at + 1);
  }
  return scope;
}

export function snapshotEvent(s: DriftSnapshotRecord): NewEvent {
  const data: DriftSnapshotV1 = {
    snapshotId: s.snapshotId,
    scopeId: s.scopeId,
    scope: scopeOf(s.scopeId),
    total: s.total,
    compliant: s.compliant,
    outdated: s.outdated,
    stopped: s.stopped,
    coveragePct: s.coveragePct,
    rag: s.rag,
    takenAt: new Date(s.takenAt).toISOString(),
  };
  return { type: DRIFT_SNAPSHOT, data, time: new Date(s.takenAt), organisation: s.organisation };
}
