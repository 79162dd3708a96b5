import type { WavePolicy } from '../../../domain/plan/wave-policy';
import type { RiskFactorValues } from '../../../domain/risk/risk-factors';
import type { Actor } from '../../ports/plan-record';

/** Plan a move of a frozen asset set to a version: from a drift event or a vulnerability report. */
export interface CreatePlanCommand {
  /** The organisation the plan belongs to: the caller's (HTTP) or the drift event's. */
  readonly organisation: string;
  readonly source: 'drift' | 'api';
  /** The causing event id (drift) or the caller's idempotency key (API). */
  readonly sourceRef: string;
  readonly family: string;
  readonly toVersion: string;
  readonly imageVersionId?: string;
  readonly environment: string;
  readonly assetIds: readonly string[];
  readonly factors: RiskFactorValues;
  readonly complianceImpact: number;
  readonly wavePolicy?: Partial<WavePolicy>;
  readonly fleetSize?: number;
  readonly requestedBy: Actor;
  /** Start on its own once approved (drift); API plans wait for `start`. */
  readonly autoStart: boolean;
}
