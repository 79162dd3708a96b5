import type { Admin, Kafka } from 'kafkajs';

/**
 * Ready when the broker answers a metadata request. The admin connection is opened lazily and kept,
 * so a probe costs one round trip, and is dropped after a failure so the next probe reconnects.
 */
export class KafkaReadinessCheck {
  readonly name = 'kafka';
  private admin: Admin | null = null;

  constructor(private readonly kafka: Kafka) {}

  async check(): Promise<void> {
    try {
      if (!this.admin) {
        this.admin = this.kafka.admin({ retry: { retries: 0 } });
        await this.admin.connect();
      }
      const cluster = await this.admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('no brokers in cluster metadata');
    } catch (error: unknown) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }
}
