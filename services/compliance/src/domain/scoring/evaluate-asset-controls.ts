import { COMPLIANCE_CONTROLS, type ComplianceControlId } from '../control/compliance-control';
import type { AssetFacts } from './asset-facts';
import type { ComplianceThresholds } from './compliance-thresholds';
import type { ControlEvaluation, ControlStatus } from './control-evaluation';

const DAY_MS = 86_400_000;

interface Outcome {
  readonly status: ControlStatus;
  readonly reason: string;
  readonly evidenceEventIds: readonly string[];
}

const pass = (reason: string, ...evidence: string[]): Outcome => ({
  status: 'pass',
  reason,
  evidenceEventIds: evidence,
});
const fail = (reason: string, ...evidence: string[]): Outcome => ({
  status: 'fail',
  reason,
  evidenceEventIds: evidence,
});
const notApplicable = (reason: string): Outcome => ({
  status: 'not_applicable',
  reason,
  evidenceEventIds: [],
});

function ageDays(at: Date, now: Date): number {
  return (now.getTime() - at.getTime()) / DAY_MS;
}

function imageControl(
  asset: AssetFacts,
  check: (image: NonNullable<AssetFacts['image']>) => Outcome,
): Outcome {
  if (asset.imageRef === null) return notApplicable('the asset runs no golden image');
  if (asset.image === null)
    return fail(`image ${asset.imageRef} is not a registered golden image`, asset.assetEventId);
  return check(asset.image);
}

function evaluate(id: ComplianceControlId, asset: AssetFacts, t: ComplianceThresholds, now: Date): Outcome {
  switch (id) {
    case 'rf:image-signed':
      return imageControl(asset, (i) =>
        i.signatureVerified && !i.revoked
          ? pass('the image signature was verified at publication', ...i.eventIds)
          : fail(i.revoked ? 'the image was revoked' : 'the image signature was not verified', ...i.eventIds),
      );
    case 'rf:sbom-present':
      return imageControl(asset, (i) =>
        i.sbomPresent
          ? pass('an SBOM was recorded with the image', ...i.eventIds)
          : fail('no SBOM', ...i.eventIds),
      );
    case 'cis:level-met':
      return imageControl(asset, (i) =>
        i.cisLevel === null
          ? fail('the image attests no CIS level', ...i.eventIds)
          : i.cisLevel >= t.minCisLevel
            ? pass(`CIS level ${i.cisLevel} ≥ ${t.minCisLevel}`, ...i.eventIds)
            : fail(`CIS level ${i.cisLevel} < ${t.minCisLevel}`, ...i.eventIds),
      );
    case 'slsa:build-level':
      return imageControl(asset, (i) =>
        i.slsaBuildLevel === null
          ? fail('the image attests no SLSA build level', ...i.eventIds)
          : i.slsaBuildLevel >= t.minSlsaBuildLevel
            ? pass(`SLSA build level ${i.slsaBuildLevel} ≥ ${t.minSlsaBuildLevel}`, ...i.eventIds)
            : fail(`SLSA build level ${i.slsaBuildLevel} < ${t.minSlsaBuildLevel}`, ...i.eventIds),
      );
    case 'rf:drift-coverage': {
      if (asset.environment === null) return notApplicable('the asset belongs to no environment');
      const c = asset.coverage;
      if (c === null) return fail(`no drift coverage measured for environment ${asset.environment}`);
      return c.coveragePct >= t.minDriftCoveragePct
        ? pass(`coverage ${c.coveragePct}% ≥ ${t.minDriftCoveragePct}%`, c.eventId)
        : fail(`coverage ${c.coveragePct}% < ${t.minDriftCoveragePct}%`, c.eventId);
    }
    case 'rf:patch-latency': {
      if (asset.imageRef === null) return notApplicable('the asset runs no golden image');
      if (asset.image?.revoked) return fail('the asset runs a revoked image', ...asset.image.eventIds);
      const d = asset.drift;
      if (d === null || !d.open) return pass('no open drift', ...(d ? [d.eventId] : []));
      const age = ageDays(d.detectedAt, now);
      return age <= t.patchSlaDays
        ? pass(`drifted for ${age.toFixed(1)} days, within the ${t.patchSlaDays}-day SLA`, d.eventId)
        : fail(`drifted for ${age.toFixed(1)} days, beyond the ${t.patchSlaDays}-day SLA`, d.eventId);
    }
    case 'rf:backups-verified': {
      const { lastBackup, lastRestore } = asset.recovery;
      if (lastBackup === null) return fail('no backup recorded');
      const age = ageDays(lastBackup.completedAt, now);
      if (age > t.maxBackupAgeDays) {
        return fail(
          `the last backup is ${age.toFixed(1)} days old (at most ${t.maxBackupAgeDays})`,
          lastBackup.eventId,
        );
      }
      if (lastRestore === null) return fail('no restore has verified a backup', lastBackup.eventId);
      return lastRestore.verified
        ? pass('recent backup, and the last restore verified', lastBackup.eventId, lastRestore.eventId)
        : fail('the last restore did not verify', lastBackup.eventId, lastRestore.eventId);
    }
    case 'rf:dr-drill-passed': {
      const drill = asset.recovery.lastDrill;
      if (drill === null) return fail('no DR drill recorded');
      const age = ageDays(drill.completedAt, now);
      if (age > t.maxDrillAgeDays) {
        return fail(
          `the last drill is ${age.toFixed(1)} days old (at most ${t.maxDrillAgeDays})`,
          drill.eventId,
        );
      }
      return drill.passed
        ? pass('the last DR drill passed', drill.eventId)
        : fail('the last DR drill failed', drill.eventId);
    }
  }
}

/** Every control of the catalogue for one asset, in catalogue order. Pure. */
export function evaluateAssetControls(
  asset: AssetFacts,
  thresholds: ComplianceThresholds,
  now: Date,
): ControlEvaluation[] {
  return COMPLIANCE_CONTROLS.map((control) => ({
    controlId: control.id,
    weight: control.weight,
    ...evaluate(control.id, asset, thresholds, now),
  }));
}
