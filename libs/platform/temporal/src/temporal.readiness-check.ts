import type { Connection } from '@temporalio/client';
import { connectTemporal, type TemporalSettings } from './temporal-connection';

/** Ready when the Temporal frontend answers for the service's namespace. */
export class TemporalReadinessCheck {
  readonly name = 'temporal';
  private connection: Connection | null = null;

  constructor(private readonly settings: TemporalSettings) {}

  async check(): Promise<void> {
    try {
      this.connection ??= await connectTemporal(this.settings);
      await this.connection.workflowService.describeNamespace({ namespace: this.settings.namespace });
    } catch (error: unknown) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    await connection?.close().catch(() => undefined);
  }
}
