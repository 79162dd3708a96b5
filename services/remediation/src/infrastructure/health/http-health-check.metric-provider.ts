import type { HealthQuery, MetricProvider } from '../../application/ports/metric-provider.port';
import type { HealthSample } from '../../domain/health/health-verdict';

/**
 * Calls each asset's health endpoint (`{assetId}` in the template): a 2xx is healthy, any other
 * status or no answer in time is a bad observation.
 */
export class HttpHealthCheckMetricProvider implements MetricProvider {
  readonly name = 'http-health-check';

  constructor(
    private readonly urlTemplate: string,
    private readonly timeoutMs = 3_000,
    private readonly concurrency = 16,
  ) {}

  async sample(query: HealthQuery): Promise<HealthSample[]> {
    let bad = 0;
    const queue = [...query.assetIds];
    const worker = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        if (!(await this.healthy(id))) bad++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    return [{ source: this.name, bad, total: query.assetIds.length }];
  }

  private async healthy(assetId: string): Promise<boolean> {
    try {
      const res = await fetch(this.urlTemplate.replaceAll('{assetId}', encodeURIComponent(assetId)), {
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.body?.cancel();
      return res.ok;
    } catch {
      return false;
    }
  }
}
