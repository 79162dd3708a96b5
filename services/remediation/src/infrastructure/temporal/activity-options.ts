import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/** A worker that stops heartbeating is presumed dead this long after its last beat. */
export const ACTIVITY_HEARTBEAT_TIMEOUT = '5 seconds';
/** Bookkeeping steps: one transaction each. */
export const RECORD_STEP_TIMEOUT = '30 seconds';
/** A whole wave of changes; it heartbeats per settled asset. */
export const APPLY_WAVE_TIMEOUT = '2 hours';
export const HEALTH_ANALYSIS_TIMEOUT = '2 minutes';

export const RECORD_STEP_RETRY = {
  initialInterval: '500 milliseconds',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 20,
} as const;

export const APPLY_WAVE_RETRY = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 10,
} as const;

/** Compensations must finish: they retry until they do, a person watching the rollback. */
export const COMPENSATION_RETRY = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
} as const;

export const RECORD_STEP_OPTIONS: ActivityOptions = {
  startToCloseTimeout: RECORD_STEP_TIMEOUT,
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: RECORD_STEP_RETRY,
};

export const APPLY_WAVE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: APPLY_WAVE_TIMEOUT,
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: APPLY_WAVE_RETRY,
};

export const HEALTH_ANALYSIS_OPTIONS: ActivityOptions = {
  startToCloseTimeout: HEALTH_ANALYSIS_TIMEOUT,
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: RECORD_STEP_RETRY,
};

export const COMPENSATION_OPTIONS: ActivityOptions = {
  startToCloseTimeout: APPLY_WAVE_TIMEOUT,
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: COMPENSATION_RETRY,
};

/**
 * The rollout's bookkeeping steps and health analysis run as local activities: each is one short
 * transaction (or one metric query) made idempotent by the step log, so it needs neither a task
 * queue round trip nor a heartbeat, and its result is recorded with the workflow task that ran it.
 * A worker lost mid-task re-runs the task's local activities, which the step log turns into reads.
 */
export const LOCAL_RECORD_STEP_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: RECORD_STEP_TIMEOUT,
  retry: RECORD_STEP_RETRY,
};

export const LOCAL_HEALTH_ANALYSIS_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: HEALTH_ANALYSIS_TIMEOUT,
  retry: RECORD_STEP_RETRY,
};
