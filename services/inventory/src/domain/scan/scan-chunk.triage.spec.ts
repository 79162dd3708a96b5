import type { Sighting } from '../asset/asset.entity';
import { fingerprintOf } from '../change-detection/asset-fingerprint';
import { observedAsset } from '../testing-fixtures';
import { type StoredFingerprint, triageChunk } from './scan-chunk.triage';

const sighting: Sighting = {
  connectorId: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
  scanId: '22222222-2222-4222-8222-222222222222',
  seenAt: new Date('2025-11-22T08:00:00Z'),
};

function stored(n: number, change: Partial<StoredFingerprint> = {}): StoredFingerprint {
  const asset = observedAsset(n);
  return {
    assetId: asset.assetId,
    connectorId: sighting.connectorId,
    lastSeenScanId: '11111111-1111-4111-8111-111111111111',
    removed: false,
    fingerprint: fingerprintOf(asset),
    ...change,
  };
}

const index = (...rows: StoredFingerprint[]) => new Map(rows.map((r) => [r.assetId, r]));

describe('triageChunk', () => {
  it('sets aside known assets whose fingerprint proves them unchanged', () => {
    const triage = triageChunk([observedAsset(1), observedAsset(2)], index(stored(1)), sighting);
    expect(triage.unchangedIds).toEqual([observedAsset(1).assetId]);
    expect(triage.toReconcile.map((a) => a.assetId)).toEqual([observedAsset(2).assetId]);
  });

  it('sends changed, removed or re-homed assets to full reconciliation', () => {
    const changed = observedAsset(1, { state: 'stopped' });
    const triage = triageChunk(
      [changed, observedAsset(2), observedAsset(3)],
      index(
        stored(1),
        stored(2, { removed: true }),
        stored(3, { connectorId: '99999999-9999-4999-8999-999999999999' }),
      ),
      sighting,
    );
    expect(triage.unchangedIds).toEqual([]);
    expect(triage.toReconcile).toHaveLength(3);
  });

  it('drops repeated records of an asset, in this chunk or already seen by this scan', () => {
    const triage = triageChunk(
      [observedAsset(1), observedAsset(1, { state: 'stopped' }), observedAsset(2)],
      index(stored(2, { lastSeenScanId: sighting.scanId })),
      sighting,
    );
    expect(triage.duplicates).toBe(2);
    expect(triage.toReconcile).toEqual([observedAsset(1)]);
  });
});

describe('fingerprintOf', () => {
  it('ignores tag order and changes with any compared attribute or the image family', () => {
    const asset = observedAsset(1, { tags: { a: '1', b: '2' } });
    expect(fingerprintOf({ ...asset, tags: { b: '2', a: '1' } })).toBe(fingerprintOf(asset));
    for (const change of [
      { state: 'stopped' as const },
      { site: null },
      { imageFamily: 'x' },
      { tags: { a: '1' } },
    ]) {
      expect(fingerprintOf({ ...asset, ...change })).not.toBe(fingerprintOf(asset));
    }
    expect(fingerprintOf(asset)).toMatch(/^v1:/);
  });

  it('keeps null and the string "null" apart', () => {
    expect(fingerprintOf(observedAsset(1, { project: null }))).not.toBe(
      fingerprintOf(observedAsset(1, { project: 'null' })),
    );
  });
});
