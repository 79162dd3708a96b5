import type { IHeaders, KafkaMessage } from 'kafkajs';

export const DLQ_SUFFIX = '.dlq';

export const DLQ_HEADERS = {
  reason: 'rf_dlq_reason',
  errorCode: 'rf_dlq_error_code',
  attempts: 'rf_dlq_attempts',
  consumerGroup: 'rf_dlq_consumer_group',
  originalTopic: 'rf_dlq_original_topic',
  originalPartition: 'rf_dlq_original_partition',
  originalOffset: 'rf_dlq_original_offset',
  failedAt: 'rf_dlq_failed_at',
} as const;

export function dlqTopicOf(topic: string): string {
  return `${topic}${DLQ_SUFFIX}`;
}

export interface DeadLetter {
  readonly consumer: string;
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  readonly reason: string;
  /** Namespaced, e.g. EVENTS.SCHEMA_VIOLATION, or the handler error's own code. */
  readonly errorCode: string;
  readonly attempts: number;
}

/** The DLQ record keeps the original key, value and headers untouched, and says why and where from. */
export function deadLetterMessage(letter: DeadLetter): {
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
} {
  return {
    key: letter.message.key,
    value: letter.message.value,
    headers: {
      ...letter.message.headers,
      [DLQ_HEADERS.reason]: letter.reason.slice(0, 2_000),
      [DLQ_HEADERS.errorCode]: letter.errorCode,
      [DLQ_HEADERS.attempts]: String(letter.attempts),
      [DLQ_HEADERS.consumerGroup]: letter.consumer,
      [DLQ_HEADERS.originalTopic]: letter.topic,
      [DLQ_HEADERS.originalPartition]: String(letter.partition),
      [DLQ_HEADERS.originalOffset]: letter.message.offset,
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    },
  };
}
