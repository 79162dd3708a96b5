import type { TemporalSettings } from '@rf/platform-temporal';
import { connectTemporal } from '@rf/platform-temporal';
import { Client, type Connection } from '@temporalio/client';

/** One lazily opened Temporal client for the service; a failed connect is retried on next use. */
export class TemporalClientProvider {
  private connecting: Promise<{ client: Client; connection: Connection }> | null = null;

  constructor(private readonly settings: TemporalSettings) {}

  client(): Promise<Client> {
    this.connecting ??= connectTemporal(this.settings).then(
      (connection) => ({
        connection,
        client: new Client({ connection, namespace: this.settings.namespace }),
      }),
      (error: unknown) => {
        this.connecting = null;
        throw error;
      },
    );
    return this.connecting.then((c) => c.client);
  }

  async close(): Promise<void> {
    const pending = this.connecting;
    this.connecting = null;
    if (pending) await pending.then((c) => c.connection.close()).catch(() => undefined);
  }
}
