import type { Actor } from '../../ports/plan-record';

export interface ApprovePlanCommand {
  readonly planId: string;
  readonly approver: Actor;
  readonly comment?: string;
}
