import { hash } from 'node:crypto';
import type { ObservedAsset } from '../asset/asset.entity';

// Bump when the fingerprinted fields change: stored fingerprints of the old version then simply
// mismatch, and the next scan compares those assets field by field and rewrites them.
const VERSION = 'v1';

/**
 * A digest of everything change detection compares (and of the derived image family), so that a scan
 * can recognise the unchanged majority of a fleet from one short stored value per asset, without
 * loading and comparing full rows. Equal attributes give equal fingerprints whatever the tag order.
 */
export function fingerprintOf(asset: ObservedAsset): string {
  const tags = Object.keys(asset.tags)
    .sort()
    .map((key) => [key, asset.tags[key]]);
  const canonical = JSON.stringify([
    asset.account,
    asset.region,
    asset.site,
    asset.environment,
    asset.project,
    asset.imageRef,
    asset.imageFamily,
    asset.imageVersion,
    asset.state,
    tags,
  ]);
  return `${VERSION}:${hash('sha1', canonical, 'base64')}`;
}
