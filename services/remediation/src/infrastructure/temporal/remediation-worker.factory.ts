import type { TemporalSettings } from '@rf/platform-temporal';
import { type Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { RemediationActivities } from './remediation.activities';
import { SEARCH_ATTRIBUTES } from './workflows/rollout.contract';

export const REMEDIATION_TASK_QUEUE = 'rf-remediation';
export const REMEDIATION_WORKFLOWS_PATH = require.resolve('./workflows');

export interface RemediationWorkerOptions {
  readonly temporal: TemporalSettings;
  readonly taskQueue: string;
  readonly activities: RemediationActivities;
  /** A pre-built bundle (tests, several workers in one run); else the workflows are bundled at start. */
  readonly workflowBundle?: { readonly codePath: string };
  readonly interceptors?: WorkerOptions['interceptors'];
  readonly maxConcurrentActivityTaskExecutions?: number;
  /** How long a workflow task waits for this worker's cache before any worker may take it. */
  readonly stickyQueueScheduleToStartTimeoutMs?: number;
}

/** A worker for the remediation task queue; the caller owns `run()` and the connection's close. */
export async function createRemediationWorker(
  options: RemediationWorkerOptions,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: options.temporal.address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: options.temporal.namespace,
      taskQueue: options.taskQueue,
      ...(options.workflowBundle
        ? { workflowBundle: options.workflowBundle }
        : { workflowsPath: REMEDIATION_WORKFLOWS_PATH }),
      activities: options.activities,
      ...(options.interceptors ? { interceptors: options.interceptors } : {}),
      ...(options.stickyQueueScheduleToStartTimeoutMs
        ? { stickyQueueScheduleToStartTimeout: options.stickyQueueScheduleToStartTimeoutMs }
        : {}),
      ...(options.maxConcurrentActivityTaskExecutions
        ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions }
        : {}),
    });
    return { worker, connection };
  } catch (error: unknown) {
    await connection.close();
    throw error;
  }
}

const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD

/**
 * Registers the custom search attributes on the namespace (the dev server and a self-hosted
 * cluster accept this through the operator service; Temporal Cloud registers them in its console).
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.values(SEARCH_ATTRIBUTES)
    .map((k) => k.name)
    .filter((name) => !(name in existing.customAttributes));
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
    });
  } catch (error: unknown) {
    // Another worker registering at the same moment is fine; anything else is not.
    if (!(error instanceof Error && /already exists/i.test(error.message))) throw error;
  }
}
