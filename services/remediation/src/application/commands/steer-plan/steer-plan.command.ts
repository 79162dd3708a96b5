import type { Actor } from '../../ports/plan-record';

/** Start, pause, resume or abort a plan. */
export interface SteerPlanCommand {
  readonly planId: string;
  readonly action: 'start' | 'pause' | 'resume' | 'abort';
  readonly actor: Actor;
  readonly reason?: string;
}
