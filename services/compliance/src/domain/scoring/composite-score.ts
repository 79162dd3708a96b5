import { COMPLIANCE_CONTROLS } from '../control/compliance-control';
import type { ComplianceThresholds } from './compliance-thresholds';
import type { ComplianceBadge, ControlEvaluation, ControlStatus } from './control-evaluation';

/**
 * Σ weight·pass / Σ weight over the applicable controls (not-applicable ones are left out, not
 * failed). Null when nothing applies, or every applicable control weighs 0: there is nothing to score.
 */
export function compositeScore(evaluations: readonly ControlEvaluation[]): number | null {
  let total = 0;
  let passed = 0;
  for (const e of evaluations) {
    if (e.status === 'not_applicable') continue;
    total += e.weight;
    if (e.status === 'pass') passed += e.weight;
  }
  if (total === 0) return null;
  // Rounded so the same evaluations always give the same number, whatever the summation order.
  return Math.round((passed / total) * 1e6) / 1e6;
}

export function badgeFor(
  score: number,
  thresholds: Pick<ComplianceThresholds, 'target' | 'atRiskBand'>,
): ComplianceBadge {
  if (score >= thresholds.target) return 'compliant';
  return score >= thresholds.target - thresholds.atRiskBand ? 'at_risk' : 'non_compliant';
}

export interface AggregateControl {
  readonly controlId: ControlEvaluation['controlId'];
  readonly weight: number;
  /** pass when every asset it applies to passes; fail when any fails; not_applicable when it applies to none. */
  readonly status: ControlStatus;
  readonly passing: number;
  readonly applicable: number;
  readonly evidenceEventIds: readonly string[];
}

export interface AggregateScore {
  /** Pooled over every (asset, applicable control): Σ weight·pass / Σ weight. Null when nothing applies. */
  readonly score: number | null;
  readonly controls: readonly AggregateControl[];
  readonly assets: number;
}

/** Evidence kept per aggregate control; an aggregate explains itself through its assets beyond that. */
export const MAX_AGGREGATE_EVIDENCE = 50;

/** The score of an environment or the organisation from its scored assets' evaluations. Pure. */
export function aggregateScore(assets: readonly (readonly ControlEvaluation[])[]): AggregateScore {
  const controls = COMPLIANCE_CONTROLS.map((control) => {
    let passing = 0;
    let applicable = 0;
    const evidence = new Set<string>();
    for (const evaluations of assets) {
      const e = evaluations.find((x) => x.controlId === control.id);
      if (e === undefined || e.status === 'not_applicable') continue;
      applicable += 1;
      if (e.status === 'pass') passing += 1;
      for (const id of e.evidenceEventIds) if (evidence.size < MAX_AGGREGATE_EVIDENCE) evidence.add(id);
    }
    const status: ControlStatus =
      applicable === 0 ? 'not_applicable' : passing === applicable ? 'pass' : 'fail';
    return {
      controlId: control.id,
      weight: control.weight,
      status,
      passing,
      applicable,
      evidenceEventIds: [...evidence],
    };
  });
  let total = 0;
  let passed = 0;
  for (const c of controls) {
    total += c.weight * c.applicable;
    passed += c.weight * c.passing;
  }
  return {
    score: total === 0 ? null : Math.round((passed / total) * 1e6) / 1e6,
    controls,
    assets: assets.length,
  };
}
