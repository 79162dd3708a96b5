import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { Public } from '@rf/platform-policy';
import type { Response } from 'express';
import {
  READINESS_CHECKS,
  type ReadinessCheck,
  runReadinessChecks,
  SERVICE_IDENTITY,
  type ServiceIdentity,
} from './readiness-check';

// Probes and scrapes come from the platform, not from callers with credentials.
@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: readonly ReadinessCheck[],
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  /** Liveness: the process is serving requests. Dependencies are deliberately not checked here. */
  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.identity.service };
  }

  @Get('readyz')
  async readyz(@Res({ passthrough: true }) res: Response) {
    const checks = await runReadinessChecks(this.checks);
    const ready = checks.every((c) => c.status === 'up');
    res.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not_ready', service: this.identity.service, checks };
  }

  @Get('version')
  version(): ServiceIdentity & { node: string } {
    return { ...this.identity, node: process.version };
  }
}
