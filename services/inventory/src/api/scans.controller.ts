import { Controller, Get, Param, Query } from '@nestjs/common';
import { Authorize, CallerOrganisation, callerScope } from '@rf/platform-auth';
import { GetScanHandler } from '../application/queries/get-scan/get-scan.handler';
import { ListScansHandler } from '../application/queries/list-scans/list-scans.handler';
import { IdParams, ListScansQuery, parseRequest } from './inventory-request.schemas';
import { pageView, type ScanPageView, type ScanView, scanView } from './inventory-response.views';

/** Scan history of the caller's organisation: status, counts, timings and problems of every scan, newest first. */
@Controller('api/v1/scans')
export class ScansController {
  constructor(
    private readonly listScans: ListScansHandler,
    private readonly getScan: GetScanHandler,
  ) {}

  @Get()
  @Authorize('asset.read', callerScope('scan'))
  async list(@CallerOrganisation() organisation: string, @Query() query: unknown): Promise<ScanPageView> {
    const { limit, cursor, ...filter } = parseRequest(ListScansQuery, query);
    const page = await this.listScans.execute({
      organisation,
      filter,
      limit,
      ...(cursor === undefined ? {} : { cursor }),
    });
    return pageView(page, scanView);
  }

  @Get(':id')
  @Authorize('asset.read', callerScope('scan'))
  async get(@CallerOrganisation() organisation: string, @Param() params: unknown): Promise<ScanView> {
    const { id } = parseRequest(IdParams, params);
    return scanView(await this.getScan.execute(organisation, id));
  }
}
