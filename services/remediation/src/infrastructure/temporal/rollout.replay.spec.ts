import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REMEDIATION_WORKFLOWS_PATH } from './remediation-worker.factory';

/**
 * Histories recorded from real runs on the local Temporal (remediation.int-spec.ts with
 * RF_RECORD_REMEDIATION_HISTORY=1) must replay on today's workflow code: a change that alters the
 * commands of a running workflow without `patched()` fails here, before it reaches a cluster.
 */
/** The fixtures are proto3 JSON objects; decoded with the proto package the worker itself uses. */
function loadHistory(json: unknown): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(json as Record<string, unknown>);
}

/** Runs from before the `local-bookkeeping` patch, and after it (`.local-bookkeeping`). */
const FIXTURES = [
  'canary-rollout.completed',
  'canary-rollout.rolled-back',
  'rollback.rolled-back',
  'canary-rollout.completed.local-bookkeeping',
  'canary-rollout.rolled-back.local-bookkeeping',
] as const;

/** The recorded run's workflow id, where the commands depend on it (the rollback child's id). */
function workflowIdOf(json: unknown): string {
  const events = (
    json as { events: { startChildWorkflowExecutionInitiatedEventAttributes?: { workflowId?: string } }[] }
  ).events;
  const child = events.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)
    ?.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
  return child?.replace(/-rollback$/u, '') ?? 'replayed-workflow';
}

describe('replay of recorded remediation workflow histories', () => {
  jest.setTimeout(120_000);

  it.each(FIXTURES)('replays %s deterministically', async (name) => {
    const json: unknown = JSON.parse(
      readFileSync(join(__dirname, 'fixtures', `${name}.history.json`), 'utf8'),
    );
    expect((json as { events: unknown[] }).events.length).toBeGreaterThan(5);
    await expect(
      Worker.runReplayHistory(
        { workflowsPath: REMEDIATION_WORKFLOWS_PATH },
        loadHistory(json),
        workflowIdOf(json),
      ),
    ).resolves.toBeUndefined();
  });

  it('fails a history whose commands the code no longer issues', async () => {
    const json = JSON.parse(
      readFileSync(join(__dirname, 'fixtures', 'canary-rollout.completed.history.json'), 'utf8'),
    ) as { events: { activityTaskScheduledEventAttributes?: { activityType?: { name?: string } } }[] };
    // Pretend an earlier version scheduled another activity first: replay must reject the history.
    const scheduled = json.events.find((e) => e.activityTaskScheduledEventAttributes);
    if (!scheduled?.activityTaskScheduledEventAttributes?.activityType)
      throw new Error('no activity in fixture');
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'renamedActivity';
    await expect(
      Worker.runReplayHistory({ workflowsPath: REMEDIATION_WORKFLOWS_PATH }, loadHistory(json), 'tampered'),
    ).rejects.toThrow();
  });
});
