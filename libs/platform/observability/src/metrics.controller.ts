import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Public } from '@rf/platform-policy';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics';

// Probes and scrapes come from the platform, not from callers with credentials.
@Public()
@Controller()
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
