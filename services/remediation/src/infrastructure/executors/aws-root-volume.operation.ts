import {
  CreateReplaceRootVolumeTaskCommand,
  DescribeReplaceRootVolumeTasksCommand,
  type EC2Client,
  type ReplaceRootVolumeTask,
} from '@aws-sdk/client-ec2';
import type { AwsImageCatalog } from './aws-ec2-tag.resolver';
import type { InstanceOperation, InstanceOperationStatus } from './aws-instance-operation.executor';
import { executorUnavailable } from './operation-poller';

/** The tag a key's replacement task carries, so it can be found again without the client token. */
export const OPERATION_TAG = 'rf:operation';

/** What a replace-root-volume task state means for the change. */
export function rootVolumeState(state: string | undefined): InstanceOperationStatus['state'] {
  if (state === 'succeeded') return 'succeeded';
  if (state === 'failed' || state === 'failed-detached') return 'failed';
  return 'running';
}

/**
 * Replaces an instance's root volume from the target AMI (`CreateReplaceRootVolumeTask`), keeping
 * the instance, its id, addresses and data volumes; the replaced volume is kept for audit. The key's
 * digest is the client token and a tag on the task.
 */
export class AwsRootVolumeOperation implements InstanceOperation {
  readonly name = 'aws-root-volume';

  constructor(
    private readonly ec2: EC2Client,
    private readonly images: AwsImageCatalog,
  ) {}

  async startOnce(token: string, instanceId: string, version: string): Promise<string> {
    const known = (await this.tasks(instanceId)).find((t) =>
      t.Tags?.some((tag) => tag.Key === OPERATION_TAG && tag.Value === token),
    );
    if (known?.ReplaceRootVolumeTaskId) return known.ReplaceRootVolumeTaskId;
    const imageId = await this.images.imageIdOf(version);
    try {
      const created = await this.ec2.send(
        new CreateReplaceRootVolumeTaskCommand({
          InstanceId: instanceId,
          ImageId: imageId,
          DeleteReplacedRootVolume: false,
          ClientToken: token,
          TagSpecifications: [
            { ResourceType: 'replace-root-volume-task', Tags: [{ Key: OPERATION_TAG, Value: token }] },
          ],
        }),
      );
      const id = created.ReplaceRootVolumeTask?.ReplaceRootVolumeTaskId;
      if (!id) throw new Error('no replace-root-volume task id in the answer');
      return id;
    } catch (error: unknown) {
      throw executorUnavailable(`EC2 did not replace the root volume of ${instanceId}`, error);
    }
  }

  async status(taskId: string, instanceId: string): Promise<InstanceOperationStatus> {
    let task: ReplaceRootVolumeTask | undefined;
    try {
      const found = await this.ec2.send(
        new DescribeReplaceRootVolumeTasksCommand({ ReplaceRootVolumeTaskIds: [taskId] }),
      );
      task = found.ReplaceRootVolumeTasks?.[0];
    } catch (error: unknown) {
      throw executorUnavailable(`EC2 did not describe task ${taskId} of ${instanceId}`, error);
    }
    const state = task?.TaskState ?? 'pending';
    return { state: rootVolumeState(state), detail: state };
  }

  /** Every replacement task of the instance, page by page. */
  private async tasks(instanceId: string): Promise<ReplaceRootVolumeTask[]> {
    const all: ReplaceRootVolumeTask[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await this.ec2.send(
          new DescribeReplaceRootVolumeTasksCommand({
            Filters: [{ Name: 'instance-id', Values: [instanceId] }],
            MaxResults: 50,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
        all.push(...(page.ReplaceRootVolumeTasks ?? []));
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error: unknown) {
      throw executorUnavailable(`EC2 did not list the root-volume tasks of ${instanceId}`, error);
    }
    return all;
  }
}
