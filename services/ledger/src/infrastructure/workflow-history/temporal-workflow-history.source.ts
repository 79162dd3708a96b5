import type { OnApplicationShutdown } from '@nestjs/common';
import type { WorkflowHistoryOutcome } from '@rf/platform-evidence-pack';
import { connectTemporal, type TemporalSettings } from '@rf/platform-temporal';
import { Client, type Connection } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { WorkflowHistorySource } from '../../application/ports/workflow-history-source.port';

/**
 * Reads workflow histories from Temporal (`WorkflowService.GetWorkflowExecutionHistory`, every page) as
 * the JSON of `temporal.api.history.v1.History` (enum names, 64-bit integers as strings, bytes in
 * base64), which `History.fromObject` of @temporalio/proto reads back for a replay. Connects on first
 * use, so the ledger runs without Temporal until a pack asks for a history.
 */
export class TemporalWorkflowHistorySource implements WorkflowHistorySource, OnApplicationShutdown {
  private connection: Promise<Connection> | undefined;

  constructor(private readonly settings: TemporalSettings) {}

  async history(workflowId: string): Promise<WorkflowHistoryOutcome> {
    let client: Client;
    try {
      this.connection ??= connectTemporal(this.settings);
      client = new Client({ connection: await this.connection, namespace: this.settings.namespace });
    } catch (error: unknown) {
      this.connection = undefined;
      return { status: 'unavailable', reason: `Temporal at ${this.settings.address}: ${describe(error)}` };
    }
    try {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      // The SDK's historyToJSON needs its protobufjs to be the one @temporalio/proto was built with, which
      // an install does not guarantee; the message's own toJSON always is.
      const json = temporal.api.history.v1.History.fromObject(history).toJSON();
      return { status: 'found', historyJson: `${JSON.stringify(json, null, 2)}\n` };
    } catch (error: unknown) {
      if (error instanceof WorkflowNotFoundError || (error as { code?: unknown }).code === 5) {
        return {
          status: 'not_found',
          reason: `no workflow ${workflowId} in namespace ${this.settings.namespace}`,
        };
      }
      return { status: 'unavailable', reason: describe(error) };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection !== undefined) await (await connection.catch(() => undefined))?.close();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
