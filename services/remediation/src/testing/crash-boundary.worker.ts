/**
 * A remediation worker for the crash test, run as a child process: it completes activities
 * normally until the Nth completion in this process, then announces the boundary on stdout and
 * hangs with the side effect done but its completion unreported, until the test SIGKILLs it.
 */
import { NestFactory } from '@nestjs/core';
import { processEnvironment } from '@rf/platform-config';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import 'reflect-metadata';
import { createRemediationWorker } from '../infrastructure/temporal/remediation-worker.factory';
import type { RemediationActivities } from '../infrastructure/temporal/remediation.activities';
import { loadRemediationConfig } from '../remediation.config';
import { RemediationWorkerModule } from '../remediation.module';
import { REMEDIATION_ACTIVITIES } from '../remediation.providers';

async function main(): Promise<void> {
  const env = processEnvironment();
  const haltAfter = Number(env['RF_CRASH_AFTER_COMPLETIONS'] ?? '0');
  const codePath = env['RF_WORKFLOW_BUNDLE'] ?? '';
  const config = loadRemediationConfig(env);
  if (!config.temporal) throw new Error('no Temporal settings');
  const app = await NestFactory.createApplicationContext(RemediationWorkerModule.register(config), {
    logger: ['error'],
  });
  let completions = 0;
  const halting = (type: string): ActivityInboundCallsInterceptor => ({
    async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
      const result: unknown = await next(input);
      completions++;
      if (completions === haltAfter) {
        process.stdout.write(`BOUNDARY ${type}\n`);
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
    interceptors: { activity: [(ctx) => ({ inbound: halting(ctx.info.activityType) })] },
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
