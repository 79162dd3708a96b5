import { RemediationError } from '../remediation.error';

export const PLAN_STATUSES = [
  'awaiting_approval',
  'approved',
  'running',
  'paused',
  'completed',
  'rolled_back',
  'rejected',
  'aborted',
] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

const TRANSITIONS: Readonly<Record<PlanStatus, readonly PlanStatus[]>> = {
  awaiting_approval: ['approved', 'rejected'],
  approved: ['running', 'rejected', 'aborted'],
  running: ['paused', 'completed', 'rolled_back', 'aborted'],
  paused: ['running', 'rolled_back', 'aborted'],
  // A completed plan may still be rolled back on its own (RollbackWorkflow).
  completed: ['rolled_back'],
  rolled_back: [],
  rejected: [],
  aborted: [],
};

export const TERMINAL_STATUSES: readonly PlanStatus[] = ['completed', 'rolled_back', 'rejected', 'aborted'];

export function canTransition(from: PlanStatus, to: PlanStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

export function assertTransition(planId: string, from: PlanStatus, to: PlanStatus): void {
  if (!canTransition(from, to)) {
    throw new RemediationError(
      'REMEDIATION.INVALID_TRANSITION',
      `plan ${planId} is ${from}; it cannot become ${to}`,
      {
        kind: 'conflict',
        metadata: { planId, from, to },
      },
    );
  }
}
