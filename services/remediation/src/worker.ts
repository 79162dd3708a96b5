import { NestFactory } from '@nestjs/core';
import { connectTemporal } from '@rf/platform-temporal';
import 'reflect-metadata';
import {
  createRemediationWorker,
  registerSearchAttributes,
} from './infrastructure/temporal/remediation-worker.factory';
import type { RemediationActivities } from './infrastructure/temporal/remediation.activities';
import { loadRemediationConfig } from './remediation.config';
import { RemediationWorkerModule } from './remediation.module';
import { REMEDIATION_ACTIVITIES } from './remediation.providers';

/** The remediation Temporal worker: its own process, sharing the service's database and gate. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadRemediationConfig();
  } catch (error: unknown) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(78);
  }
  const temporal = config.temporal;
  if (!temporal) throw new Error('remediation needs Temporal settings');
  const app = await NestFactory.createApplicationContext(RemediationWorkerModule.register(config));
  app.enableShutdownHooks();
  const connection = await connectTemporal(temporal);
  await registerSearchAttributes(connection, temporal.namespace);
  await connection.close();
  const { worker, connection: native } = await createRemediationWorker({
    temporal,
    taskQueue: config.remediation.taskQueue,
    activities: app.get<RemediationActivities>(REMEDIATION_ACTIVITIES),
  });
  process.once('SIGTERM', () => worker.shutdown());
  process.once('SIGINT', () => worker.shutdown());
  try {
    await worker.run();
  } finally {
    await native.close();
    await app.close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `remediation worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
