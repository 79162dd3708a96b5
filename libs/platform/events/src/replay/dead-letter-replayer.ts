import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DLQ_HEADERS, DLQ_SUFFIX } from '../inbox/dead-letter';

export interface ReplayReport {
  readonly replayed: number;
  readonly byTopic: Record<string, number>;
}

const DLQ_HEADER_NAMES = new Set<string>(Object.values(DLQ_HEADERS));
export const REPLAYED_FROM_HEADER = 'rf_replayed_from';

/**
 * Re-drives every record of a dead-letter topic, up to its end at the time of the call, to the topic
 * it came from: same key, value and CloudEvents headers, without the dead-letter headers. The event
 * keeps its id, so a consumer that did handle it meanwhile recognises it in its inbox.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  dlqTopic: string,
  options: { dryRun?: boolean; limit?: number } = {},
): Promise<ReplayReport> {
  if (!dlqTopic.endsWith(DLQ_SUFFIX))
    throw new Error(`${dlqTopic} is not a dead-letter topic (*${DLQ_SUFFIX})`);
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(dlqTopic).finally(() => admin.disconnect());
  const remaining = new Map(
    ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]),
  );
  const report = { replayed: 0, byTopic: {} as Record<string, number> };
  if (remaining.size === 0) return report;

  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const consumer = kafka.consumer({ groupId: `rf-replay-${randomUUID()}`, allowAutoTopicCreation: false });
  await Promise.all([producer.connect(), consumer.connect()]);
  try {
    await consumer.subscribe({ topic: dlqTopic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = remaining.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            if (options.limit === undefined || report.replayed < options.limit) {
              const target = redrive(message);
              if (!options.dryRun)
                await producer.send({ topic: target.topic, acks: -1, messages: [target.message] });
              report.replayed += 1;
              report.byTopic[target.topic] = (report.byTopic[target.topic] ?? 0) + 1;
            }
            if (BigInt(message.offset) + 1n >= end) remaining.delete(partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await Promise.all([consumer.disconnect(), producer.disconnect()]);
  }
  return report;
}

function redrive(message: KafkaMessage): {
  topic: string;
  message: { key: Buffer | null; value: Buffer | null; headers: IHeaders };
} {
  const headers: IHeaders = {};
  let topic: string | undefined;
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (name === DLQ_HEADERS.originalTopic) topic = value?.toString();
    if (!DLQ_HEADER_NAMES.has(name) && value !== undefined) headers[name] = value;
  }
  if (!topic)
    throw new Error(`dead letter at offset ${message.offset} has no ${DLQ_HEADERS.originalTopic} header`);
  headers[REPLAYED_FROM_HEADER] = message.offset;
  return { topic, message: { key: message.key, value: message.value, headers } };
}
