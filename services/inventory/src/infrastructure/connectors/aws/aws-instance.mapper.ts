import type { Image, Instance, Tag } from '@aws-sdk/client-ec2';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';

/** What the connector keeps of an AMI owned by the scanned account. */
export interface AmiSummary {
  readonly name: string | null;
  readonly tags: Readonly<Record<string, string>>;
}

export function tagsOf(tags: readonly Tag[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (typeof tag.Key === 'string' && typeof tag.Value === 'string') result[tag.Key] = tag.Value;
  }
  return result;
}

export function amiSummary(image: Image): AmiSummary {
  return { name: image.Name ?? null, tags: tagsOf(image.Tags) };
}

/**
 * One EC2 instance as a raw asset: the AMI id is the image reference, and the AMI's name and tags
 * (when the account owns it) carry the golden-image family and version.
 */
export function instanceRecord(
  instance: Instance,
  context: {
    readonly account: string;
    readonly region: string;
    readonly images: ReadonlyMap<string, AmiSummary>;
  },
): RawAssetRecord {
  const image = instance.ImageId === undefined ? undefined : context.images.get(instance.ImageId);
  return {
    platform: 'aws',
    account: context.account,
    region: context.region,
    instanceId: instance.InstanceId ?? '',
    state: instance.State?.Name ?? '',
    imageRef: instance.ImageId ?? null,
    imageName: image?.name ?? null,
    ...(image === undefined || Object.keys(image.tags).length === 0 ? {} : { imageTags: image.tags }),
    tags: tagsOf(instance.Tags),
  };
}
