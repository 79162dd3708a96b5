import fc from 'fast-check';
import { COMPLIANCE_CONTROLS, COMPLIANCE_CONTROL_IDS } from '../control/compliance-control';
import { type AssetFacts, isScored } from './asset-facts';
import { DEFAULT_COMPLIANCE_THRESHOLDS as T } from './compliance-thresholds';
import { aggregateScore, badgeFor, compositeScore } from './composite-score';
import type { ControlEvaluation } from './control-evaluation';
import { evaluateAssetControls } from './evaluate-asset-controls';

const NOW = new Date('2026-11-22T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

const compliantAsset = (overrides: Partial<AssetFacts> = {}): AssetFacts => ({
  assetId: 'a-1',
  environment: 'prod',
  state: 'running',
  removed: false,
  imageRef: 'ami-1',
  assetEventId: 'ev-asset',
  image: {
    imageVersionId: 'img-1',
    signatureVerified: true,
    sbomPresent: true,
    cisLevel: 2,
    slsaBuildLevel: 3,
    revoked: false,
    eventIds: ['ev-image'],
  },
  drift: null,
  coverage: { coveragePct: 97, takenAt: daysAgo(0), eventId: 'ev-snapshot' },
  recovery: {
    lastBackup: { completedAt: daysAgo(1), eventId: 'ev-backup' },
    lastRestore: { verified: true, completedAt: daysAgo(2), eventId: 'ev-restore' },
    lastDrill: { passed: true, completedAt: daysAgo(30), eventId: 'ev-drill' },
  },
  ...overrides,
});

const statusOf = (facts: AssetFacts) =>
  Object.fromEntries(evaluateAssetControls(facts, T, NOW).map((e) => [e.controlId, e.status]));

describe('the controls catalogue', () => {
  it('has the eight controls, weights summing to 1', () => {
    expect(COMPLIANCE_CONTROLS.map((c) => c.id)).toEqual([...COMPLIANCE_CONTROL_IDS]);
    expect(COMPLIANCE_CONTROLS.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 10);
  });
});

describe('evaluateAssetControls', () => {
  it('passes every control of a compliant asset, each with its evidence', () => {
    const evaluations = evaluateAssetControls(compliantAsset(), T, NOW);
    expect(evaluations.every((e) => e.status === 'pass')).toBe(true);
    expect(compositeScore(evaluations)).toBe(1);
    expect(evaluations.find((e) => e.controlId === 'rf:backups-verified')?.evidenceEventIds).toEqual([
      'ev-backup',
      'ev-restore',
    ]);
  });

  it('fails image controls for an unsigned, unattested or unregistered image', () => {
    const base = compliantAsset();
    const image = base.image as NonNullable<AssetFacts['image']>;
    expect(statusOf({ ...base, image: { ...image, signatureVerified: false } })['rf:image-signed']).toBe(
      'fail',
    );
    expect(statusOf({ ...base, image: { ...image, revoked: true } })).toMatchObject({
      'rf:image-signed': 'fail',
      'rf:patch-latency': 'fail',
    });
    expect(statusOf({ ...base, image: { ...image, cisLevel: null, slsaBuildLevel: 1 } })).toMatchObject({
      'cis:level-met': 'fail',
      'slsa:build-level': 'fail',
    });
    expect(statusOf({ ...base, image: null })).toMatchObject({
      'rf:image-signed': 'fail',
      'rf:sbom-present': 'fail',
    });
  });

  it('leaves image controls out for an asset that runs no golden image, and coverage for one outside any environment', () => {
    const s = statusOf(compliantAsset({ imageRef: null, image: null, environment: null }));
    expect(s).toMatchObject({
      'rf:image-signed': 'not_applicable',
      'rf:sbom-present': 'not_applicable',
      'cis:level-met': 'not_applicable',
      'slsa:build-level': 'not_applicable',
      'rf:patch-latency': 'not_applicable',
      'rf:drift-coverage': 'not_applicable',
      'rf:backups-verified': 'pass',
    });
    // Not-applicable controls are excluded, not failed: the remaining ones all pass.
    expect(
      compositeScore(evaluateAssetControls(compliantAsset({ imageRef: null, image: null }), T, NOW)),
    ).toBe(1);
  });

  it('judges patch latency, coverage, backups and drills against their thresholds', () => {
    const drift = (days: number) => ({ open: true, detectedAt: daysAgo(days), eventId: 'ev-drift' });
    expect(statusOf(compliantAsset({ drift: drift(3) }))['rf:patch-latency']).toBe('pass');
    expect(statusOf(compliantAsset({ drift: drift(20) }))['rf:patch-latency']).toBe('fail');
    expect(
      statusOf(compliantAsset({ coverage: { coveragePct: 80, takenAt: NOW, eventId: 'x' } }))[
        'rf:drift-coverage'
      ],
    ).toBe('fail');
    expect(statusOf(compliantAsset({ coverage: null }))['rf:drift-coverage']).toBe('fail');
    const recovery = compliantAsset().recovery;
    expect(
      statusOf(
        compliantAsset({ recovery: { ...recovery, lastBackup: { completedAt: daysAgo(9), eventId: 'b' } } }),
      )['rf:backups-verified'],
    ).toBe('fail');
    expect(
      statusOf(
        compliantAsset({
          recovery: { ...recovery, lastRestore: { verified: false, completedAt: NOW, eventId: 'r' } },
        }),
      )['rf:backups-verified'],
    ).toBe('fail');
    expect(
      statusOf(
        compliantAsset({
          recovery: { ...recovery, lastDrill: { passed: false, completedAt: NOW, eventId: 'd' } },
        }),
      )['rf:dr-drill-passed'],
    ).toBe('fail');
    expect(
      statusOf(
        compliantAsset({
          recovery: { ...recovery, lastDrill: { passed: true, completedAt: daysAgo(100), eventId: 'd' } },
        }),
      )['rf:dr-drill-passed'],
    ).toBe('fail');
  });

  it('scores a worked example: unsigned image and no drill → 1 − 0.2 − 0.1 = 0.7, non-compliant', () => {
    const base = compliantAsset();
    const facts = compliantAsset({
      image: { ...(base.image as NonNullable<AssetFacts['image']>), signatureVerified: false },
      recovery: { ...base.recovery, lastDrill: null },
    });
    const score = compositeScore(evaluateAssetControls(facts, T, NOW));
    expect(score).toBe(0.7);
    expect(badgeFor(score as number, T)).toBe('non_compliant');
    expect(badgeFor(0.8, T)).toBe('at_risk');
    expect(badgeFor(0.85, T)).toBe('compliant');
  });

  it('leaves terminated and removed assets out', () => {
    expect(isScored({ state: 'running', removed: false })).toBe(true);
    expect(isScored({ state: 'stopped', removed: false })).toBe(true);
    expect(isScored({ state: 'terminated', removed: false })).toBe(false);
    expect(isScored({ state: 'running', removed: true })).toBe(false);
  });
});

const evaluation = fc.record({
  controlId: fc.constantFrom(...COMPLIANCE_CONTROL_IDS),
  weight: fc.double({ min: 0, max: 1, noNaN: true }),
  status: fc.constantFrom('pass' as const, 'fail' as const, 'not_applicable' as const),
  reason: fc.constant(''),
  evidenceEventIds: fc.array(fc.uuid(), { maxLength: 2 }),
});
const assetEvaluations = fc.tuple(
  ...COMPLIANCE_CONTROLS.map((c) =>
    fc
      .constantFrom('pass' as const, 'fail' as const, 'not_applicable' as const)
      .map((status): ControlEvaluation => ({
        controlId: c.id,
        weight: c.weight,
        status,
        reason: '',
        evidenceEventIds: [],
      })),
  ),
);

describe('scores (properties)', () => {
  it('lie in [0, 1], or are null exactly when no weighted control applies', () => {
    fc.assert(
      fc.property(fc.array(evaluation, { maxLength: 12 }), (evaluations) => {
        const score = compositeScore(evaluations);
        const weighed = evaluations.some((e) => e.status !== 'not_applicable' && e.weight > 0);
        if (!weighed) return score === null;
        return score !== null && score >= 0 && score <= 1;
      }),
    );
  });

  it('ignore not-applicable controls entirely', () => {
    fc.assert(
      fc.property(
        fc.array(evaluation, { maxLength: 12 }),
        fc.array(evaluation, { maxLength: 6 }),
        (base, extra) => {
          const na = extra.map((e) => ({ ...e, status: 'not_applicable' as const }));
          return compositeScore([...base, ...na]) === compositeScore(base);
        },
      ),
    );
  });

  it('never drop when a failing control comes to pass', () => {
    fc.assert(
      fc.property(fc.array(evaluation, { minLength: 1, maxLength: 12 }), fc.nat(), (evaluations, pick) => {
        const i = pick % evaluations.length;
        const before = compositeScore(evaluations);
        const after = compositeScore(
          evaluations.map((e, j) => (j === i && e.status === 'fail' ? { ...e, status: 'pass' as const } : e)),
        );
        return before === null || (after as number) >= before - 1e-9;
      }),
    );
  });

  it('aggregate a single asset to its own score, and do not depend on the order of assets', () => {
    fc.assert(
      fc.property(fc.array(assetEvaluations, { minLength: 1, maxLength: 8 }), (assets) => {
        const [first] = assets;
        const single = aggregateScore([first as ControlEvaluation[]]).score;
        const reversed = aggregateScore([...assets].reverse()).score;
        return (
          single === compositeScore(first as ControlEvaluation[]) && reversed === aggregateScore(assets).score
        );
      }),
    );
  });
});
