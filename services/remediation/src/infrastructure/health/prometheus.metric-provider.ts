import type { HealthQuery, MetricProvider } from '../../application/ports/metric-provider.port';
import type { HealthSample } from '../../domain/health/health-verdict';
import { RemediationError } from '../../domain/remediation.error';

export interface PrometheusQueries {
  /** PromQL for bad observations over the soak, e.g. failed requests; `$assets` is an id regex. */
  readonly bad: string;
  /** PromQL for all observations. */
  readonly total: string;
}

interface InstantVectorResponse {
  status: 'success' | 'error';
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
  error?: string;
}

/**
 * Asks Prometheus (`GET /api/v1/query`) for bad and total observations of the wave's assets. An
 * empty result is zero observations: the verdict is then inconclusive, never a success.
 */
export class PrometheusMetricProvider implements MetricProvider {
  readonly name = 'prometheus';

  constructor(
    private readonly baseUrl: string,
    private readonly queries: PrometheusQueries,
    private readonly timeoutMs = 5_000,
  ) {}

  async sample(query: HealthQuery): Promise<HealthSample[]> {
    const regex = query.assetIds.map((a) => a.replace(/[^0-9a-fA-F-]/g, '')).join('|');
    const [bad, total] = await Promise.all([
      this.scalar(this.queries.bad.replaceAll('$assets', regex)),
      this.scalar(this.queries.total.replaceAll('$assets', regex)),
    ]);
    return [{ source: this.name, bad, total }];
  }

  private async scalar(promql: string): Promise<number> {
    const url = new URL('/api/v1/query', this.baseUrl);
    url.searchParams.set('query', promql);
    let body: InstantVectorResponse;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
      body = (await res.json()) as InstantVectorResponse;
      if (!res.ok || body.status !== 'success') throw new Error(body.error ?? `HTTP ${res.status}`);
    } catch (error: unknown) {
      throw new RemediationError(
        'REMEDIATION.HEALTH_UNAVAILABLE',
        `Prometheus query failed: ${String(error)}`,
        {
          kind: 'unavailable',
          cause: error,
        },
      );
    }
    return (body.data?.result ?? []).reduce((s, r) => s + (Number.parseFloat(r.value[1]) || 0), 0);
  }
}
