/** CloudEvents types the remediation service publishes and consumes. */
export const REMEDIATION_EVENTS = {
  riskAssessed: 'io.resiliencefabric.risk.assessed.v1',
  planned: 'io.resiliencefabric.remediation.planned.v1',
  approved: 'io.resiliencefabric.remediation.approved.v1',
  rejected: 'io.resiliencefabric.remediation.rejected.v1',
  waveStarted: 'io.resiliencefabric.remediation.wave.started.v1',
  waveCompleted: 'io.resiliencefabric.remediation.wave.completed.v1',
  completed: 'io.resiliencefabric.remediation.completed.v1',
  rolledBack: 'io.resiliencefabric.remediation.rolled_back.v1',
  paused: 'io.resiliencefabric.remediation.paused.v1',
  resumed: 'io.resiliencefabric.remediation.resumed.v1',
} as const;

export const DRIFT_DETECTED = 'io.resiliencefabric.drift.detected.v1';
