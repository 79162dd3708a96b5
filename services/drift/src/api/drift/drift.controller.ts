import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { Authorize, callerOrganisationOf, callerScope } from '@rf/platform-auth';
import type { Request, Response } from 'express';
import { GetDriftReportHandler } from '../../application/drift/queries/get-drift-report/get-drift-report.handler';
import { GetDriftReportQuery } from '../../application/drift/queries/get-drift-report/get-drift-report.query';
import {
  type DriftTrend,
  GetDriftTrendHandler,
} from '../../application/drift/queries/get-drift-trend/get-drift-trend.handler';
import { GetDriftTrendQuery } from '../../application/drift/queries/get-drift-trend/get-drift-trend.query';
import type { ReportFilter } from '../../domain/drift/drift-report';
import { acceptsGzip, DriftReportRepresentations, ifNoneMatchHolds } from './drift-report.representations';
import { DriftReportQuery, DriftTrendQuery, parseDriftRequest } from './drift-request.params';

function filterOf(q: { env?: string; platform?: ReportFilter['platform']; site?: string }): ReportFilter {
  return {
    ...(q.env === undefined ? {} : { environment: q.env }),
    ...(q.platform === undefined ? {} : { platform: q.platform }),
    ...(q.site === undefined ? {} : { site: q.site }),
  };
}

/** The caller's organisation's fleet coverage against its golden-image baseline, now and over time. */
@Controller('api/v1/drift')
export class DriftController {
  constructor(
    private readonly report: GetDriftReportHandler,
    private readonly trendHandler: GetDriftTrendHandler,
  ) {}

  private readonly representations = new DriftReportRepresentations();

  /**
   * The DriftReport of a scope, with one report per (environment, platform, site) and per family.
   * Bytes, validator and gzip are made once per computed report; a request whose `If-None-Match`
   * names the current report gets a 304 without a body.
   */
  @Get()
  @Authorize('drift.read', callerScope('drift'))
  async drift(@Query() query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const q = parseDriftRequest(DriftReportQuery, query);
    const report = await this.report.execute(
      new GetDriftReportQuery(callerOrganisationOf(req), filterOf(q), q.limit),
    );
    const representation = this.representations.of(report);
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('etag', representation.etag);
    res.setHeader('vary', 'accept-encoding');
    if (ifNoneMatchHolds(req.headers['if-none-match'], representation.etag)) {
      res.status(304).end();
      return;
    }
    const gzip = acceptsGzip(req.headers['accept-encoding']) ? await representation.gzip() : undefined;
    res.status(200);
    res.setHeader('content-type', 'application/json; charset=utf-8');
    if (gzip !== undefined) res.setHeader('content-encoding', 'gzip');
    const body = gzip ?? representation.body;
    res.setHeader('content-length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** Coverage snapshots of a scope between `from` and `to` (default: the last 7 days). */
  @Get('trend')
  @Authorize('drift.read', callerScope('drift'))
  @Header('cache-control', 'no-store')
  trend(@Query() query: unknown, @Req() req: Request): Promise<DriftTrend> {
    const q = parseDriftRequest(DriftTrendQuery, query);
    return this.trendHandler.execute(
      new GetDriftTrendQuery(callerOrganisationOf(req), filterOf(q), q.from, q.to, q.limit),
    );
  }
}
