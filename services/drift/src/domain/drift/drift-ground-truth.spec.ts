import { simulateDriftFleet } from '../../testing/simulated-drift-fleet.fixture';
import { DriftEngine } from './drift-engine';
import { driftAgeDays } from './drift-report';

describe('drift verdicts against the simulated fleet ground truth', () => {
  it('keeps false positives and false negatives below 1 %, with exact drift ages', () => {
    const fleet = simulateDriftFleet({ seed: 20_261_122, assets: 20_000, families: 40 });
    let n = 0;
    const engine = new DriftEngine(() => `d-${++n}`);
    for (const event of fleet.events) engine.apply(event, fleet.now);

    let compliantTruth = 0;
    let driftingTruth = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    let wrongAge = 0;
    let misjudgedManagement = 0;
    const seen = new Set<string>();
    for (const { facts, verdict } of engine.tracked()) {
      seen.add(facts.assetId);
      const truth = fleet.truth.get(facts.assetId);
      if (truth === undefined) throw new Error(`asset ${facts.assetId} is tracked but left the fleet`);
      if (truth.kind === 'compliant') compliantTruth += 1;
      if (truth.kind === 'drifting') driftingTruth += 1;
      if ((truth.kind === 'unmanaged') !== (verdict.kind === 'unmanaged')) misjudgedManagement += 1;
      if (truth.kind === 'compliant' && verdict.kind === 'drifting') falsePositives += 1;
      if (truth.kind === 'drifting' && verdict.kind === 'compliant') falseNegatives += 1;
      if (truth.kind === 'drifting' && verdict.kind === 'drifting') {
        if (
          verdict.cause !== truth.cause ||
          driftAgeDays(verdict.since, fleet.now) !== driftAgeDays(truth.since!, fleet.now)
        ) {
          wrongAge += 1;
        }
      }
    }
    const falsePositiveRate = falsePositives / compliantTruth;
    const falseNegativeRate = falseNegatives / driftingTruth;
    process.stdout.write(
      `drift ground truth: ${fleet.truth.size} assets, ${compliantTruth} compliant, ${driftingTruth} drifting; ` +
        `FP ${falsePositives} (${(falsePositiveRate * 100).toFixed(3)} %), FN ${falseNegatives} ` +
        `(${(falseNegativeRate * 100).toFixed(3)} %), wrong cause or age ${wrongAge}\n`,
    );
    // The fleet is big enough for the rate to mean something, and has both kinds in numbers.
    expect(compliantTruth).toBeGreaterThan(10_000);
    expect(driftingTruth).toBeGreaterThan(2_000);
    expect(seen.size).toBe(fleet.truth.size);
    expect(misjudgedManagement).toBe(0);
    expect(falsePositiveRate).toBeLessThan(0.01);
    expect(falseNegativeRate).toBeLessThan(0.01);
    expect(wrongAge).toBe(0);
  });
});
