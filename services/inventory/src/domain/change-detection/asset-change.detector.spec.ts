import fc from 'fast-check';
import { observedAsset, trackedAsset } from '../testing-fixtures';
import { classifyObservation, detectChanges } from './asset-change.detector';

describe('detectChanges', () => {
  const before = observedAsset(1);

  it('finds nothing when nothing changed', () => {
    expect(detectChanges(before, { ...before, tags: { ...before.tags } })).toEqual([]);
  });

  it('reports each changed field with its old and new value, nulls for absent ones', () => {
    const after = {
      ...before,
      imageRef: 'ami-0f1e2d3c4b5a69788',
      imageVersion: '2025.11.04',
      project: null,
      state: 'stopped' as const,
    };
    expect(detectChanges(before, after)).toEqual([
      { field: 'project', from: 'payments', to: null },
      { field: 'imageRef', from: 'ami-0c55b159cbfafe1f0', to: 'ami-0f1e2d3c4b5a69788' },
      { field: 'imageVersion', from: '2025.10.14', to: '2025.11.04' },
      { field: 'state', from: 'running', to: 'stopped' },
    ]);
  });

  it('reports tag changes one key at a time: added, changed, removed', () => {
    const after = { ...before, tags: { Name: 'api-1-renamed', owner: 'sre' } };
    expect(detectChanges(before, after)).toEqual([
      { field: 'tags.Name', from: 'api-1', to: 'api-1-renamed' },
      { field: 'tags.owner', from: null, to: 'sre' },
      { field: 'tags.team', from: 'payments', to: null },
    ]);
  });

  it('does not report the derived image family (it follows the image reference)', () => {
    expect(detectChanges(before, { ...before, imageFamily: 'other' })).toEqual([]);
  });

  it('is empty exactly when the compared attributes are equal', () => {
    const tags = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('1', '2'));
    const state = fc.constantFrom('running' as const, 'stopped' as const);
    const version = fc.constantFrom('1.0', '1.1', null);
    fc.assert(
      fc.property(tags, tags, state, state, version, version, (t1, t2, s1, s2, v1, v2) => {
        const a = { ...before, tags: t1, state: s1, imageVersion: v1 };
        const b = { ...before, tags: t2, state: s2, imageVersion: v2 };
        const equal =
          JSON.stringify(Object.entries(t1).sort()) === JSON.stringify(Object.entries(t2).sort()) &&
          s1 === s2 &&
          v1 === v2;
        return (detectChanges(a, b).length === 0) === equal;
      }),
    );
  });
});

describe('classifyObservation', () => {
  const asset = observedAsset(1);

  it('is new when never seen, or seen again after removal', () => {
    expect(classifyObservation(undefined, asset)).toEqual({ kind: 'new' });
    const removed = trackedAsset(asset, { removedAt: new Date(), removalReason: 'missed_scans' });
    expect(classifyObservation(removed, asset)).toEqual({ kind: 'new' });
  });

  it('is updated with its changes, or unchanged', () => {
    expect(classifyObservation(trackedAsset(asset), { ...asset, state: 'stopped' })).toEqual({
      kind: 'updated',
      changes: [{ field: 'state', from: 'running', to: 'stopped' }],
    });
    expect(classifyObservation(trackedAsset(asset), asset)).toEqual({ kind: 'unchanged' });
  });
});
