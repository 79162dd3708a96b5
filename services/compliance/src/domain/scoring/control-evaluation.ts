import type { ComplianceControlId } from '../control/compliance-control';

export type ControlStatus = 'pass' | 'fail' | 'not_applicable';

export interface ControlEvaluation {
  readonly controlId: ComplianceControlId;
  readonly weight: number;
  readonly status: ControlStatus;
  /** Why, in words, for the explanation. */
  readonly reason: string;
  /** Events the status rests on; the ledger entries of those it holds are the evidence. */
  readonly evidenceEventIds: readonly string[];
}

export type ComplianceBadge = 'compliant' | 'at_risk' | 'non_compliant';
