import { Context } from '@temporalio/activity';

/** Heartbeats the running activity; a no-op outside one (tests, benchmarks). */
export function activityHeartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch (error: unknown) {
    if (!(error instanceof Error && /activity context/i.test(error.message))) throw error;
  }
}
