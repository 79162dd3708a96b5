import type { Admin } from 'kafkajs';

export type RewindTarget = { readonly offset: string } | { readonly time: Date };

/**
 * Moves a consumer group back (or forward) on a topic, to an offset or to the first record at or
 * after a time, so its consumers re-drive events from there. The group must have no active members;
 * its inbox still skips events it has already applied.
 */
export async function rewindConsumerGroup(
  admin: Admin,
  groupId: string,
  topic: string,
  target: RewindTarget,
): Promise<{ partition: number; offset: string }[]> {
  const description = await admin.describeGroups([groupId]);
  const group = description.groups[0];
  if (group && group.members.length > 0) {
    throw new Error(
      `consumer group ${groupId} has ${group.members.length} active member(s): stop its consumers first`,
    );
  }
  const partitions =
    'time' in target
      ? (await admin.fetchTopicOffsetsByTimestamp(topic, target.time.getTime())).map((p) => ({
          partition: p.partition,
          offset: p.offset,
        }))
      : (await admin.fetchTopicOffsets(topic)).map((p) => ({
          partition: p.partition,
          offset: target.offset,
        }));
  await admin.setOffsets({ groupId, topic, partitions });
  return partitions;
}
