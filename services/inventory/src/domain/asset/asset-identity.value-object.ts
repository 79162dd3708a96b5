import type { Platform } from './platform';
import { uuidV5 } from './uuid-v5';

/** Namespace of asset ids. Never change it: every stored asset id and every event key derives from it. */
export const ASSET_ID_NAMESPACE = '9bba3cd9-433b-45bf-a6ca-1013b1564f99';

/**
 * The organisation of records written before assets had one. Its asset ids are derived without the
 * organisation, exactly as they were, so the ids other services already hold stay valid. Equal to
 * `DEFAULT_ORGANISATION` of the event backbone.
 */
export const UNSCOPED_ORGANISATION = 'default';

export interface AssetIdentityParts {
  /** The tenant: the same machine listed by connectors of two organisations is two assets. */
  readonly organisation: string;
  readonly platform: Platform;
  readonly account: string;
  readonly region: string;
  readonly instanceId: string;
}

// A control character cannot occur in provider ids, so the joined key is unambiguous.
const SEPARATOR = '\u001f';

/**
 * What makes an asset the same asset from one scan to the next: organisation, platform, account,
 * region and instance id, canonicalised so that spelling differences a provider itself ignores do not
 * create a new asset.
 */
export class AssetIdentity {
  readonly assetId: string;

  private constructor(
    readonly organisation: string,
    readonly platform: Platform,
    readonly account: string,
    readonly region: string,
    readonly instanceId: string,
  ) {
    // Four parts for the unscoped organisation, five for any other: no two names can be equal.
    const name =
      organisation === UNSCOPED_ORGANISATION
        ? [platform, account, region, instanceId]
        : [organisation, platform, account, region, instanceId];
    this.assetId = uuidV5(name.join(SEPARATOR), ASSET_ID_NAMESPACE);
  }

  static of(parts: AssetIdentityParts): AssetIdentity {
    const { platform } = parts;
    return new AssetIdentity(
      parts.organisation,
      platform,
      canonicalAccount(platform, parts.account),
      canonicalRegion(platform, parts.region),
      canonicalInstanceId(platform, parts.instanceId),
    );
  }
}

function canonicalAccount(platform: Platform, account: string): string {
  const trimmed = account.trim();
  // Azure subscription ids (GUIDs) and vCenter host names are case-insensitive.
  return platform === 'azure' || platform === 'vsphere' ? trimmed.toLowerCase() : trimmed;
}

export function canonicalRegion(platform: Platform, region: string): string {
  const trimmed = region.trim();
  switch (platform) {
    case 'aws':
    case 'gcp':
      return trimmed.toLowerCase();
    case 'azure':
      // The API returns `westeurope`; portals and CLIs also say `West Europe`.
      return trimmed.toLowerCase().replace(/\s+/g, '');
    case 'vsphere':
    case 'simulated':
    case 'file':
      return trimmed;
  }
}

function canonicalInstanceId(platform: Platform, instanceId: string): string {
  const trimmed = instanceId.trim();
  // ARM resource ids are case-insensitive and come back in mixed case from different APIs.
  return platform === 'azure' ? trimmed.toLowerCase() : trimmed;
}
