import { stackEndpoints, waitFor } from '@rf/platform-testing';
import { randomUUID } from 'node:crypto';
import { createKafka } from '../kafka-client';
import { rewindConsumerGroup } from './consumer-group-rewind';

const kafka = createKafka({ brokers: stackEndpoints().kafkaBrokers, clientId: 'rf-rewind-test' });

describe('rewinding a consumer group', () => {
  const topic = `rf.test.rewind-${randomUUID()}`;
  const group = `rf-rewind-${randomUUID()}`;
  const admin = kafka.admin();

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 10; i++) await producer.send({ topic, messages: [{ value: `e${i}` }] });
    await producer.disconnect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  const committed = async () =>
    (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]?.partitions[0]?.offset;

  it('re-drives a topic from an offset or a time once the group is idle, and refuses while it runs', async () => {
    const seen: string[] = [];
    const consumer = kafka.consumer({ groupId: group });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        seen.push(message.value?.toString() ?? '');
        return Promise.resolve();
      },
    });
    await waitFor(async () => ((await committed()) === '10' ? true : undefined), {
      description: 'all consumed',
    });
    await expect(rewindConsumerGroup(admin, group, topic, { offset: '3' })).rejects.toThrow(/active member/);
    await consumer.disconnect();

    expect(await rewindConsumerGroup(admin, group, topic, { offset: '3' })).toEqual([
      { partition: 0, offset: '3' },
    ]);
    expect(await committed()).toBe('3');
    await rewindConsumerGroup(admin, group, topic, { time: new Date(0) });
    expect(await committed()).toBe('0');

    const again = kafka.consumer({ groupId: group });
    await again.connect();
    await again.subscribe({ topic });
    seen.length = 0;
    await again.run({
      eachMessage: ({ message }) => {
        seen.push(message.value?.toString() ?? '');
        return Promise.resolve();
      },
    });
    try {
      await waitFor(() => Promise.resolve(seen.length >= 10 ? true : undefined), {
        description: 're-driven',
      });
    } finally {
      await again.disconnect();
    }
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}`));
  });
});
