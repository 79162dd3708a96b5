import type { Actor } from '../../ports/plan-record';

export interface ApprovePlanCommand {
  /** The organisation acting: the caller's (HTTP) or the event's (Kafka). */
  readonly organisation: string;
  readonly planId: string;
  readonly approver: Actor;
  readonly comment?: string;
}
