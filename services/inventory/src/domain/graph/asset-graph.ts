import type { ObservedAsset } from '../asset/asset.entity';

export type AssetEdgeKind = 'image' | 'site' | 'account';

/** A relation of the asset graph: the asset runs an image, sits in a site, belongs to an account. */
export interface AssetEdge {
  readonly assetId: string;
  readonly kind: AssetEdgeKind;
  /** Key of the target node, e.g. `image:aws:ami-0c55…`, `site:eu-west`, `account:aws:1234…`. */
  readonly target: string;
}

/** Image node key: AMI ids, gallery version ids and GCP self-links are global; templates are per vCenter. */
export function imageNodeKey(asset: Pick<ObservedAsset, 'platform' | 'account' | 'imageRef'>): string | null {
  if (asset.imageRef === null) return null;
  return asset.platform === 'vsphere'
    ? `image:vsphere:${asset.account}:${asset.imageRef}`
    : `image:${asset.platform}:${asset.imageRef}`;
}

export function siteNodeKey(site: string): string {
  return `site:${site}`;
}

export function accountNodeKey(asset: Pick<ObservedAsset, 'platform' | 'account'>): string {
  return `account:${asset.platform}:${asset.account}`;
}

/** The asset's outgoing edges; an asset without a known image or site has fewer than three. */
export function edgesOf(asset: ObservedAsset): AssetEdge[] {
  const edges: AssetEdge[] = [];
  const image = imageNodeKey(asset);
  if (image !== null) edges.push({ assetId: asset.assetId, kind: 'image', target: image });
  if (asset.site !== null)
    edges.push({ assetId: asset.assetId, kind: 'site', target: siteNodeKey(asset.site) });
  edges.push({ assetId: asset.assetId, kind: 'account', target: accountNodeKey(asset) });
  return edges;
}
