import { observedAsset } from '../testing-fixtures';
import { edgesOf } from './asset-graph';

describe('edgesOf', () => {
  it('links an asset to its image, site and account', () => {
    const asset = observedAsset(1);
    expect(edgesOf(asset)).toEqual([
      { assetId: asset.assetId, kind: 'image', target: 'image:aws:ami-0c55b159cbfafe1f0' },
      { assetId: asset.assetId, kind: 'site', target: 'site:eu-west' },
      { assetId: asset.assetId, kind: 'account', target: 'account:aws:123456789012' },
    ]);
  });

  it('scopes vSphere templates to their vCenter, whose template names are not global', () => {
    const asset = {
      ...observedAsset(1),
      platform: 'vsphere' as const,
      account: 'vc1',
      imageRef: 'tpl-x-1.0',
    };
    expect(edgesOf(asset)[0]?.target).toBe('image:vsphere:vc1:tpl-x-1.0');
  });

  it('has no image or site edge when they are unknown', () => {
    const asset = observedAsset(1, { imageRef: null, site: null });
    expect(edgesOf(asset).map((e) => e.kind)).toEqual(['account']);
  });
});
