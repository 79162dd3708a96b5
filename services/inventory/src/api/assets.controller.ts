import { Controller, Get, Param, Query } from '@nestjs/common';
import { Authorize, CallerOrganisation, callerScope } from '@rf/platform-auth';
import { GetAssetHandler } from '../application/queries/get-asset/get-asset.handler';
import { ListAssetsHandler } from '../application/queries/list-assets/list-assets.handler';
import { IdParams, ListAssetsQuery, parseRequest } from './inventory-request.schemas';
import {
  type AssetDetailView,
  assetDetailView,
  type AssetPageView,
  assetView,
  pageView,
} from './inventory-response.views';

/** The caller's organisation's asset inventory, read-only: assets change only through scans. */
@Controller('api/v1/assets')
export class AssetsController {
  constructor(
    private readonly listAssets: ListAssetsHandler,
    private readonly getAsset: GetAssetHandler,
  ) {}

  @Get()
  @Authorize('asset.read', callerScope('asset'))
  async list(@CallerOrganisation() organisation: string, @Query() query: unknown): Promise<AssetPageView> {
    const { limit, cursor, ...filter } = parseRequest(ListAssetsQuery, query);
    const page = await this.listAssets.execute({
      organisation,
      filter,
      limit,
      ...(cursor === undefined ? {} : { cursor }),
    });
    return pageView(page, assetView);
  }

  @Get(':id')
  @Authorize('asset.read', callerScope('asset'))
  async get(@CallerOrganisation() organisation: string, @Param() params: unknown): Promise<AssetDetailView> {
    const { id } = parseRequest(IdParams, params);
    return assetDetailView(await this.getAsset.execute(organisation, id));
  }
}
