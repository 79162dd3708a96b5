import type { Admin, ITopicConfig } from 'kafkajs';
import { ConfigResourceTypes } from 'kafkajs';

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly config: Readonly<Record<string, string | number>>;
}

export interface ProvisioningReport {
  readonly created: string[];
  readonly updated: string[];
  readonly unchanged: string[];
}

/**
 * Makes the cluster's topics match their specs: creates missing topics, grows partition counts and
 * sets configs. Replication is capped by the number of brokers, so the same specs serve a
 * single-node development broker and a production cluster. Partitions are never reduced, as Kafka
 * cannot do that without losing per-key order.
 */
export async function provisionTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
): Promise<ProvisioningReport> {
  const brokers = (await admin.describeCluster()).brokers.length;
  const fitted = specs.map((s) => fitToCluster(s, brokers));
  const existing = new Set(await admin.listTopics());
  const report: ProvisioningReport = { created: [], updated: [], unchanged: [] };

  const missing = fitted.filter((s) => !existing.has(s.name));
  if (missing.length > 0) {
    await admin.createTopics({ waitForLeaders: true, topics: missing.map(toTopicConfig) });
    report.created.push(...missing.map((s) => s.name));
  }

  const present = fitted.filter((s) => existing.has(s.name));
  if (present.length === 0) return report;
  const metadata = await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((s) => ({
      type: ConfigResourceTypes.TOPIC,
      name: s.name,
      configNames: Object.keys(s.config),
    })),
  });
  for (const spec of present) {
    let changed = false;
    const partitions = metadata.topics.find((t) => t.name === spec.name)?.partitions.length ?? 0;
    if (partitions < spec.partitions) {
      await admin.createPartitions({ topicPartitions: [{ topic: spec.name, count: spec.partitions }] });
      changed = true;
    }
    const current = configs.resources.find((r) => r.resourceName === spec.name)?.configEntries ?? [];
    const drifted = Object.entries(spec.config).filter(
      ([name, value]) => current.find((c) => c.configName === name)?.configValue !== String(value),
    );
    if (drifted.length > 0) {
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: spec.name,
            configEntries: Object.entries(spec.config).map(([name, value]) => ({
              name,
              value: String(value),
            })),
          },
        ],
      });
      changed = true;
    }
    (changed ? report.updated : report.unchanged).push(spec.name);
  }
  return report;
}

export function fitToCluster(spec: TopicSpec, brokers: number): TopicSpec {
  const replicationFactor = Math.max(1, Math.min(spec.replicationFactor, brokers));
  const config: Record<string, string | number> = { ...spec.config };
  const minIsr = Number(config['min.insync.replicas'] ?? 1);
  if (minIsr > replicationFactor) config['min.insync.replicas'] = replicationFactor;
  return { ...spec, replicationFactor, config };
}

function toTopicConfig(spec: TopicSpec): ITopicConfig {
  return {
    topic: spec.name,
    numPartitions: spec.partitions,
    replicationFactor: spec.replicationFactor,
    configEntries: Object.entries(spec.config).map(([name, value]) => ({ name, value: String(value) })),
  };
}
