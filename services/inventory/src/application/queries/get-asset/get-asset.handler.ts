import type { TrackedAsset } from '../../../domain/asset/asset.entity';
import type { AssetEdge } from '../../../domain/graph/asset-graph';
import { InventoryError } from '../../../domain/inventory.error';
import type { AssetCatalogue } from '../../ports/asset-catalogue.port';

export class GetAssetHandler {
  constructor(private readonly catalogue: AssetCatalogue) {}

  /** Another organisation's asset is not found, exactly like a missing one. */
  async execute(organisation: string, assetId: string): Promise<{ asset: TrackedAsset; edges: AssetEdge[] }> {
    const found = await this.catalogue.get(organisation, assetId);
    if (!found) {
      throw new InventoryError('INVENTORY.ASSET_NOT_FOUND', `No asset ${assetId}`, { metadata: { assetId } });
    }
    return found;
  }
}
