/**
 * A remediation worker for the crash test, run as a child process: it runs activities normally
 * until it completes the rollout's Nth activity (scheduled or local: activity ids count both, in
 * workflow order), then announces the boundary on stdout and hangs with the side effect done but
 * its completion unreported, until the test SIGKILLs it.
 */
import { NestFactory } from '@nestjs/core';
import { processEnvironment } from '@rf/platform-config';
import type { Info } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import 'reflect-metadata';
import { createRemediationWorker } from '../infrastructure/temporal/remediation-worker.factory';
import type { RemediationActivities } from '../infrastructure/temporal/remediation.activities';
import { loadRemediationConfig } from '../remediation.config';
import { RemediationWorkerModule } from '../remediation.module';
import { REMEDIATION_ACTIVITIES } from '../remediation.providers';

async function main(): Promise<void> {
  const env = processEnvironment();
  const haltAt = env['RF_CRASH_AT_ACTIVITY'] ?? '0';
  const codePath = env['RF_WORKFLOW_BUNDLE'] ?? '';
  const config = loadRemediationConfig(env);
  if (!config.temporal) throw new Error('no Temporal settings');
  const app = await NestFactory.createApplicationContext(RemediationWorkerModule.register(config), {
    logger: ['error'],
  });
  const halting = (info: Info): ActivityInboundCallsInterceptor => ({
    async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
      const result: unknown = await next(input);
      if (info.workflowType === 'canaryRolloutWorkflow' && info.activityId === haltAt) {
        process.stdout.write(`BOUNDARY ${info.activityType}\n`);
        await new Promise<never>(() => undefined);
      }
      return result;
    },
  });
  const { worker } = await createRemediationWorker({
    temporal: config.temporal,
    taskQueue: config.remediation.taskQueue,
    activities: app.get<RemediationActivities>(REMEDIATION_ACTIVITIES),
    workflowBundle: { codePath },
    interceptors: { activity: [(ctx) => ({ inbound: halting(ctx.info) })] },
    stickyQueueScheduleToStartTimeoutMs: 1_000,
  });
  process.stdout.write('READY\n');
  await worker.run();
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `crash worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
