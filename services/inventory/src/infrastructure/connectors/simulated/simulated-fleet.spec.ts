import { normaliseAsset } from '../../../domain/normalisation/asset.normaliser';
import { diffEpochs } from './simulated-fleet.diff';
import { latestReleaseAt, releaseVersion, SimulatedFleet } from './simulated-fleet.generator';
import { SimulatedConnector } from './simulated.connector';

const SIZE = 4_000;

function normalised(fleet: SimulatedFleet, epoch: number) {
  return [...fleet.records(epoch)].map((record) => {
    const result = normaliseAsset(record);
    if (!result.ok) throw new Error(result.problems.join('; '));
    return result.asset;
  });
}

describe('SimulatedFleet', () => {
  const fleet = new SimulatedFleet({ seed: 'demo', size: SIZE });

  it('is deterministic: the same seed lists the same fleet, another seed another fleet', () => {
    expect([...new SimulatedFleet({ seed: 'demo', size: SIZE }).records(2)]).toEqual([...fleet.records(2)]);
    const other = [...new SimulatedFleet({ seed: 'other', size: SIZE }).records(0)];
    expect(other).not.toEqual([...fleet.records(0)]);
    expect(other).toHaveLength(SIZE);
  });

  it('lists N assets at epoch 0, every one of which normalises, with unique identities', () => {
    const assets = normalised(fleet, 0);
    expect(assets).toHaveLength(SIZE);
    expect(new Set(assets.map((a) => a.assetId)).size).toBe(SIZE);
  });

  it('spreads the fleet over the four platforms, their regions, sites and environments', () => {
    const assets = normalised(fleet, 0);
    const count = (key: (a: (typeof assets)[number]) => string | null) => new Set(assets.map(key)).size;
    expect(new Set(assets.map((a) => a.platform))).toEqual(new Set(['aws', 'azure', 'gcp', 'vsphere']));
    expect(count((a) => a.region)).toBeGreaterThanOrEqual(12);
    expect(count((a) => a.site)).toBeGreaterThanOrEqual(8);
    expect(new Set(assets.map((a) => a.environment))).toEqual(new Set(['prod', 'staging', 'dev', 'dr']));
    expect(count((a) => a.imageFamily)).toBe(5); // four families and "no image"
  });

  it('has version skew, stopped machines and a few without an image', () => {
    const assets = normalised(fleet, 0);
    const ubuntu = assets.filter((a) => a.imageFamily === 'ubuntu-22-04-base');
    const versions = new Set(ubuntu.map((a) => a.imageVersion));
    expect(versions.size).toBeGreaterThanOrEqual(4);
    expect(versions.has(releaseVersion(latestReleaseAt(0)))).toBe(true);
    const latestShare =
      ubuntu.filter((a) => a.imageVersion === releaseVersion(latestReleaseAt(0))).length / ubuntu.length;
    expect(latestShare).toBeGreaterThan(0.4);
    expect(latestShare).toBeLessThan(0.7);
    const stopped = assets.filter((a) => a.state === 'stopped').length / assets.length;
    expect(stopped).toBeGreaterThan(0.04);
    expect(stopped).toBeLessThan(0.12);
    expect(assets.some((a) => a.imageRef === null)).toBe(true);
  });

  it('churns between epochs: arrivals, departures (some reported terminated), upgrades and power changes', () => {
    const diff = diffEpochs(fleet, 0, 1);
    // 1 % arrivals, 1 % departures (half reported terminated on AWS/Azure), ~3 % upgrades, 1 % power.
    expect(diff.discovered.size).toBe(Math.round(SIZE * 0.01));
    expect(diff.terminated.size).toBeGreaterThan(0);
    expect(diff.vanished.size).toBeGreaterThan(0);
    expect(diff.terminated.size + diff.vanished.size).toBeGreaterThan(SIZE * 0.005);
    expect(diff.terminated.size + diff.vanished.size).toBeLessThan(SIZE * 0.02);
    expect(diff.updated.size).toBeGreaterThan(SIZE * 0.01);
    expect(diff.updated.size).toBeLessThan(SIZE * 0.08);
    const listed = normalised(fleet, 1);
    expect(listed.filter((a) => a.state === 'terminated')).toHaveLength(diff.terminated.size);
  });

  it('reproduces any epoch on its own, and an asset that left stays gone', () => {
    const late = new SimulatedFleet({ seed: 'demo', size: SIZE });
    const byId = new Map(normalised(late, 3).map((a) => [a.assetId, a]));
    const diff = diffEpochs(fleet, 2, 3);
    for (const id of diff.vanished) expect(byId.has(id)).toBe(false);
    const gone = diffEpochs(fleet, 1, 2).vanished;
    for (const id of gone) expect(byId.has(id)).toBe(false);
  });

  it('does not churn with zero rates', () => {
    const still = new SimulatedFleet({
      seed: 1,
      size: 500,
      churn: { arrivals: 0, departures: 0, upgrades: 0, powerFlips: 0, retags: 0 },
    });
    const diff = diffEpochs(still, 0, 5);
    expect(diff).toMatchObject({ unchanged: 500 });
    expect(diff.discovered.size + diff.updated.size + diff.vanished.size + diff.terminated.size).toBe(0);
  });

  it('refuses a negative or fractional size', () => {
    expect(() => new SimulatedFleet({ seed: 1, size: -1 })).toThrow(RangeError);
    expect(() => new SimulatedFleet({ seed: 1, size: 1.5 })).toThrow(RangeError);
  });
});

describe('SimulatedConnector', () => {
  const request = (sequence: number, signal = new AbortController().signal) => ({
    scanId: 's',
    sequence,
    signal,
  });

  async function collect(connector: SimulatedConnector, sequence: number) {
    const pages = [];
    for await (const page of connector.pages(request(sequence))) pages.push(page);
    return pages;
  }

  it('lists the fleet in pages, epoch n-1 on the n-th scan by default', async () => {
    const connector = new SimulatedConnector({ id: 'c', fleet: { seed: 7, size: 2_500 }, pageSize: 1_000 });
    const pages = await collect(connector, 1);
    expect(pages.map((p) => p.records.length)).toEqual([1_000, 1_000, 500]);
    expect(connector.epochOf(3)).toBe(2);
    expect(new SimulatedConnector({ id: 'c', fleet: { seed: 7, size: 1 }, epoch: 4 }).epochOf(1)).toBe(4);
  });

  it('stops when the scan is cancelled', async () => {
    const connector = new SimulatedConnector({ id: 'c', fleet: { seed: 7, size: 5_000 }, pageSize: 100 });
    const controller = new AbortController();
    let pages = 0;
    const listing = (async () => {
      for await (const page of connector.pages(request(1, controller.signal))) {
        pages += page.records.length > 0 ? 1 : 0;
        if (pages === 3) controller.abort();
      }
    })();
    await expect(listing).rejects.toMatchObject({ name: 'AbortError' });
    expect(pages).toBe(3);
  });
});
