import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { Authorize, callerScope } from '@rf/platform-auth';
import type { Response } from 'express';
import { GetDriftReportHandler } from '../../application/drift/queries/get-drift-report/get-drift-report.handler';
import { GetDriftReportQuery } from '../../application/drift/queries/get-drift-report/get-drift-report.query';
import {
  type DriftTrend,
  GetDriftTrendHandler,
} from '../../application/drift/queries/get-drift-trend/get-drift-trend.handler';
import { GetDriftTrendQuery } from '../../application/drift/queries/get-drift-trend/get-drift-trend.query';
import type { FleetDriftReport, ReportFilter } from '../../domain/drift/drift-report';
import { DriftReportQuery, DriftTrendQuery, parseDriftRequest } from './drift-request.params';

function filterOf(q: { env?: string; platform?: ReportFilter['platform']; site?: string }): ReportFilter {
  return {
    ...(q.env === undefined ? {} : { environment: q.env }),
    ...(q.platform === undefined ? {} : { platform: q.platform }),
    ...(q.site === undefined ? {} : { site: q.site }),
  };
}

/** Fleet coverage against the golden-image baseline, now and over time. */
@Controller('api/v1/drift')
export class DriftController {
  constructor(
    private readonly report: GetDriftReportHandler,
    private readonly trendHandler: GetDriftTrendHandler,
  ) {}

  /** Serialised bodies of the reports the handler serves again from its cache. */
  private readonly bodies = new WeakMap<FleetDriftReport, string>();

  /** The DriftReport of a scope, with one report per (environment, platform, site) and per family. */
  @Get()
  @Authorize('drift.read', callerScope('drift'))
  @Header('cache-control', 'no-store')
  async drift(@Query() query: unknown, @Res({ passthrough: true }) res: Response): Promise<string> {
    const q = parseDriftRequest(DriftReportQuery, query);
    const report = await this.report.execute(new GetDriftReportQuery(filterOf(q), q.limit));
    let body = this.bodies.get(report);
    if (body === undefined) {
      body = JSON.stringify(report);
      this.bodies.set(report, body);
    }
    res.type('application/json; charset=utf-8');
    return body;
  }

  /** Coverage snapshots of a scope between `from` and `to` (default: the last 7 days). */
  @Get('trend')
  @Authorize('drift.read', callerScope('drift'))
  @Header('cache-control', 'no-store')
  trend(@Query() query: unknown): Promise<DriftTrend> {
    const q = parseDriftRequest(DriftTrendQuery, query);
    return this.trendHandler.execute(new GetDriftTrendQuery(filterOf(q), q.from, q.to, q.limit));
  }
}
