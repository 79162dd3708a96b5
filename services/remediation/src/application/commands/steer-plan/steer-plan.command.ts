import type { Actor } from '../../ports/plan-record';

/** Start, pause, resume or abort a plan, or roll back a completed one. */
export interface SteerPlanCommand {
  /** The organisation acting: the caller's (HTTP) or the event's (Kafka). */
  readonly organisation: string;
  readonly planId: string;
  readonly action: 'start' | 'pause' | 'resume' | 'abort' | 'rollback';
  readonly actor: Actor;
  readonly reason?: string;
}
