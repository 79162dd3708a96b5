import type { EventType } from '@rf/contracts';

/**
 * The events that record a decision or an action, which the ledger keeps as evidence. Observations
 * (asset inventory, scans, drift, optimisations) are not evidence of their own; the ledger's own
 * evidence.appended is never appended, or every append would cause another.
 */
export const EVIDENCE_EVENT_TYPES = [
  'io.resiliencefabric.policy.decided.v1',
  'io.resiliencefabric.risk.assessed.v1',
  'io.resiliencefabric.remediation.planned.v1',
  'io.resiliencefabric.remediation.approved.v1',
  'io.resiliencefabric.remediation.rejected.v1',
  'io.resiliencefabric.remediation.wave.started.v1',
  'io.resiliencefabric.remediation.wave.completed.v1',
  'io.resiliencefabric.remediation.completed.v1',
  'io.resiliencefabric.remediation.rolled_back.v1',
  'io.resiliencefabric.image.published.v1',
  'io.resiliencefabric.image.promoted.v1',
  'io.resiliencefabric.image.revoked.v1',
  'io.resiliencefabric.backup.completed.v1',
  'io.resiliencefabric.restore.completed.v1',
  'io.resiliencefabric.drill.completed.v1',
  'io.resiliencefabric.compliance.scored.v1',
  'io.resiliencefabric.service.mode.changed.v1',
] as const satisfies readonly EventType[];

export const EVIDENCE_APPENDED = 'io.resiliencefabric.evidence.appended.v1' satisfies EventType;
