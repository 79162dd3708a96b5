import type { TemporalSettings } from '@rf/platform-temporal';
import { connectTemporal } from '@rf/platform-temporal';
import { Client, type Connection } from '@temporalio/client';
import { registerSearchAttributes } from './remediation-worker.factory';

/**
 * One lazily opened Temporal client for the service, on a namespace that knows the plan search
 * attributes; a failed connect is retried on next use.
 */
export class TemporalClientProvider {
  private connecting: Promise<{ client: Client; connection: Connection }> | null = null;

  constructor(private readonly settings: TemporalSettings) {}

  client(): Promise<Client> {
    this.connecting ??= this.connect().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting.then((c) => c.client);
  }

  private async connect(): Promise<{ client: Client; connection: Connection }> {
    const connection = await connectTemporal(this.settings);
    try {
      // Workflows are started with the plan's search attributes: a namespace without them refuses
      // the start, whether or not a worker has registered them yet.
      await registerSearchAttributes(connection, this.settings.namespace);
    } catch (error: unknown) {
      await connection.close();
      throw error;
    }
    return { connection, client: new Client({ connection, namespace: this.settings.namespace }) };
  }

  async close(): Promise<void> {
    const pending = this.connecting;
    this.connecting = null;
    if (pending) await pending.then((c) => c.connection.close()).catch(() => undefined);
  }
}
