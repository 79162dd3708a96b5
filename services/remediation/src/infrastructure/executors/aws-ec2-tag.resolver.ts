import { DescribeImagesCommand, DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { RemediationError } from '../../domain/remediation.error';
import { executorUnavailable } from './operation-poller';

/** Where an asset runs in AWS and what it runs now. */
export interface AwsAssetTarget {
  readonly instanceId: string;
  readonly version: string;
}

export interface AwsAssetResolver {
  resolve(assetId: string): Promise<AwsAssetTarget>;
}

/** Golden image versions and the AMIs that carry them. */
export interface AwsImageCatalog {
  imageIdOf(version: string): Promise<string>;
  versionOf(imageId: string): Promise<string>;
}

/** The tag that names an instance's or group's asset, and the one inventory reads an AMI's version from. */
export const ASSET_ID_TAG = 'rf:asset-id';
export const IMAGE_VERSION_TAG = 'rf:image-version';

/**
 * Finds an asset's instance by its `rf:asset-id` tag and translates versions through the AMIs'
 * `rf:image-version` tags (a version that is itself an AMI id is taken as is), with EC2 read calls
 * only.
 */
export class Ec2TagResolver implements AwsAssetResolver, AwsImageCatalog {
  constructor(private readonly ec2: EC2Client) {}

  async resolve(assetId: string): Promise<AwsAssetTarget> {
    let instanceId: string | undefined;
    let imageId: string | undefined;
    try {
      const found = await this.ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: `tag:${ASSET_ID_TAG}`, Values: [assetId] },
            { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
          ],
        }),
      );
      const instance = found.Reservations?.flatMap((r) => r.Instances ?? [])[0];
      instanceId = instance?.InstanceId;
      imageId = instance?.ImageId;
    } catch (error: unknown) {
      throw executorUnavailable('EC2 did not list the instance', error);
    }
    if (!instanceId) {
      throw new RemediationError(
        'REMEDIATION.EXECUTOR_FAILED',
        `no instance is tagged ${ASSET_ID_TAG}=${assetId}`,
        {
          kind: 'not_found',
          metadata: { assetId },
        },
      );
    }
    return { instanceId, version: imageId ? await this.versionOf(imageId) : 'unknown' };
  }

  async imageIdOf(version: string): Promise<string> {
    if (/^ami-[0-9a-f]+$/u.test(version)) return version;
    let images;
    try {
      images = await this.ec2.send(
        new DescribeImagesCommand({ Filters: [{ Name: `tag:${IMAGE_VERSION_TAG}`, Values: [version] }] }),
      );
    } catch (error: unknown) {
      throw executorUnavailable('EC2 did not list the images', error);
    }
    const newest = (images.Images ?? [])
      .filter((i) => i.ImageId)
      .sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))[0];
    if (!newest?.ImageId) {
      throw new RemediationError(
        'REMEDIATION.EXECUTOR_FAILED',
        `no AMI is tagged ${IMAGE_VERSION_TAG}=${version}`,
        {
          kind: 'not_found',
          metadata: { version },
        },
      );
    }
    return newest.ImageId;
  }

  async versionOf(imageId: string): Promise<string> {
    try {
      const images = await this.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
      const tag = images.Images?.[0]?.Tags?.find((t) => t.Key === IMAGE_VERSION_TAG)?.Value;
      return tag ?? imageId;
    } catch (error: unknown) {
      // An AMI deregistered since launch no longer tells its version; its id still names it.
      if (error instanceof Error && /InvalidAMIID/u.test(error.name)) return imageId;
      throw executorUnavailable('EC2 did not describe the image', error);
    }
  }
}
