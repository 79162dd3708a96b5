import type { HealthSample } from '../../domain/health/health-verdict';

export interface HealthQuery {
  readonly planId: string;
  readonly waveIndex: number;
  readonly assetIds: readonly string[];
  readonly toVersion: string;
}

/** Where health signals come from: Prometheus, health-check endpoints, or the simulated fleet. */
export interface MetricProvider {
  readonly name: string;
  sample(query: HealthQuery): Promise<HealthSample[]>;
}
