import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Names and shapes shared by the workflows, their client and their activities. */

export interface RolloutActor {
  readonly kind: 'user' | 'service' | 'policy' | 'schedule';
  readonly id: string;
  readonly displayName?: string;
}

export interface RolloutWave {
  readonly index: number;
  readonly assetIds: readonly string[];
  readonly maxConcurrency: number;
  readonly maxFailures: number;
  readonly soakSeconds: number;
}

export interface CanaryRolloutInput {
  readonly planId: string;
  /**
   * The plan's organisation: its activities record events and decisions in it. Absent in runs
   * started before inputs carried it; their activities read it from the stored plan.
   */
  readonly organisation?: string;
  readonly family: string;
  readonly toVersion: string;
  readonly environment: string;
  readonly autonomyLevel: number;
  readonly riskScore: number;
  readonly fleetSize: number;
  /** A person approved the plan: a wave the gate sends for approval is already covered. */
  readonly humanApproved: boolean;
  readonly waves: readonly RolloutWave[];
}

export type RolloutOutcome = 'completed' | 'rolled_back' | 'aborted' | 'rejected';

export interface CanaryRolloutResult {
  readonly outcome: RolloutOutcome;
  readonly wavesCompleted: number;
  readonly assetsRemediated: number;
  readonly assetsFailed: number;
  readonly assetsRolledBack: number;
}

export type RollbackTrigger = 'health_check_failed' | 'error_budget_burn' | 'policy_denied' | 'manual';

export interface RollbackInput {
  readonly planId: string;
  /** The plan's organisation; absent in runs started before inputs carried it (see CanaryRolloutInput). */
  readonly organisation?: string;
  /** The rollout whose steps are compensated; compensation keys derive from it. */
  readonly originWorkflowId: string;
  /** Waves to revert, in the order they ran; reverted last-first. */
  readonly waves: readonly { readonly index: number; readonly assetIds: readonly string[] }[];
  readonly trigger: RollbackTrigger;
  readonly reason: string;
  readonly failedWaveIndex?: number;
  readonly initiatedBy: RolloutActor;
  readonly finalStatus: 'rolled_back' | 'aborted';
}

export interface RollbackResult {
  readonly assetsRolledBack: number;
}

export interface RolloutProgressView {
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

export const approveSignal = defineSignal<[{ actor: string }]>('approve');
export const pauseSignal = defineSignal<[{ actor: string; reason?: string }]>('pause');
export const resumeSignal = defineSignal<[{ actor: string }]>('resume');
export const abortSignal = defineSignal<[{ actor: string; reason?: string }]>('abort');
export const progressQuery = defineQuery<RolloutProgressView>('progress');

/** Custom search attributes, registered on the namespace by the worker at start. */
export const SEARCH_ATTRIBUTES = {
  planId: defineSearchAttributeKey('RfPlanId', SearchAttributeType.KEYWORD),
  environment: defineSearchAttributeKey('RfEnvironment', SearchAttributeType.KEYWORD),
  family: defineSearchAttributeKey('RfImageFamily', SearchAttributeType.KEYWORD),
  phase: defineSearchAttributeKey('RfRolloutPhase', SearchAttributeType.KEYWORD),
} as const;

/**
 * Patch ids (`patched()`): a change to workflow code that alters its commands gets one, so runs
 * recorded before it replay on the old path. See docs/remediation.md for the versioning plan.
 */
export const PATCHES = {
  abortInterruptsSoak: 'abort-interrupts-soak',
  /** Bookkeeping steps and health analysis run as local activities. */
  localBookkeeping: 'local-bookkeeping',
} as const;
