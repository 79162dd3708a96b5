import type { Actor, PlanRecord } from './plan-record';

export type RolloutSignal = 'approve' | 'pause' | 'resume' | 'abort';

export interface RolloutProgress {
  readonly phase: string;
  readonly currentWave: number | null;
  readonly wavesCompleted: number;
  readonly totalWaves: number;
  readonly assetsSucceeded: number;
  readonly assetsFailed: number;
  readonly paused: boolean;
  readonly pauseReason: string | null;
  readonly awaitingApproval: boolean;
}

/** Starts and steers the Temporal workflows of plans. */
export interface RolloutWorkflows {
  /** Idempotent: a plan's workflow id is fixed, so a second start is a no-op. */
  start(plan: PlanRecord): Promise<void>;
  signal(plan: PlanRecord, signal: RolloutSignal, detail: { actor: string; reason?: string }): Promise<void>;
  progress(plan: PlanRecord): Promise<RolloutProgress | null>;
  /** Starts the standalone rollback of a completed plan; idempotent by the plan's rollback id. */
  rollBack(plan: PlanRecord, initiatedBy: Actor, reason: string): Promise<void>;
}
