import type { KafkaMessage } from 'kafkajs';
import { deadLetterMessage, dlqTopicOf } from './dead-letter';

describe('dead letters', () => {
  const message: KafkaMessage = {
    key: Buffer.from('asset-1'),
    value: Buffer.from('not wire format'),
    headers: { ce_id: Buffer.from('e-1') },
    offset: '42',
    timestamp: '0',
    attributes: 0,
  };

  it('keeps key, value and headers and adds where, why and how often', () => {
    const dead = deadLetterMessage({
      consumer: 'rf-drift',
      topic: 'rf.inventory.asset.v1',
      partition: 3,
      message,
      reason: 'x'.repeat(3_000),
      errorCode: 'EVENTS.BAD_WIRE_FORMAT',
      attempts: 1,
    });
    expect(dead.key).toBe(message.key);
    expect(dead.value).toBe(message.value);
    expect(dead.headers).toMatchObject({
      ce_id: message.headers['ce_id'],
      rf_dlq_error_code: 'EVENTS.BAD_WIRE_FORMAT',
      rf_dlq_attempts: '1',
      rf_dlq_consumer_group: 'rf-drift',
      rf_dlq_original_topic: 'rf.inventory.asset.v1',
      rf_dlq_original_partition: '3',
      rf_dlq_original_offset: '42',
    });
    expect(String(dead.headers['rf_dlq_reason'])).toHaveLength(2_000);
    expect(dlqTopicOf('rf.inventory.asset.v1')).toBe('rf.inventory.asset.v1.dlq');
  });
});
