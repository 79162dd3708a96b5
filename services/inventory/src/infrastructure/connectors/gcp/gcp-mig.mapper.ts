import type { protos } from '@google-cloud/compute';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';

type Image = protos.google.cloud.compute.v1.IImage;
type ManagedInstance = protos.google.cloud.compute.v1.IManagedInstance;
type InstanceTemplate = protos.google.cloud.compute.v1.IInstanceTemplate;

/** What the connector keeps of a published image: its family and labels, by `project/name`. */
export interface ImageFacts {
  readonly family: string | null;
  readonly labels: Readonly<Record<string, string>>;
}

/** `https://…/projects/p/global/images/x` or `projects/p/global/images/x` → `projects/p/global/images/x`. */
export function resourcePath(url: string): string {
  const at = url.indexOf('projects/');
  return at < 0 ? url : url.slice(at);
}

/** `…/zones/europe-west1-b/…` → `europe-west1-b` (or the region of a regional resource). */
export function locationOf(url: string | null | undefined): string | null {
  if (!url) return null;
  return /\/(?:zones|regions)\/([^/]+)/.exec(url)?.[1] ?? null;
}

export function lastSegment(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

export function imageFacts(image: Image): ImageFacts {
  return { family: image.family ?? null, labels: { ...image.labels } };
}

/** The boot disk's source image of an instance template: an image or an image family reference. */
export function sourceImageOf(template: InstanceTemplate): string | null {
  const disks = template.properties?.disks ?? [];
  const boot = disks.find((d) => d.boot === true) ?? disks[0];
  const source = boot?.initializeParams?.sourceImage;
  return source ? resourcePath(source) : null;
}

export function managedInstanceRecord(
  instance: ManagedInstance,
  context: {
    readonly project: string;
    readonly template: InstanceTemplate | undefined;
    readonly images: ReadonlyMap<string, ImageFacts>;
  },
): RawAssetRecord {
  const url = instance.instance ?? '';
  const name = lastSegment(url);
  const imageRef = context.template === undefined ? null : sourceImageOf(context.template);
  const familyRef = imageRef === null ? null : /\/images\/family\/([^/]+)$/.exec(imageRef)?.[1];
  const facts = imageRef === null || familyRef ? undefined : context.images.get(imageRef);
  const imageTags: Record<string, string> = { ...facts?.labels };
  const family = familyRef ?? facts?.family;
  if (family) imageTags['rf:image-family'] = family;
  return {
    platform: 'gcp',
    account: context.project,
    region: locationOf(url) ?? '',
    instanceId: instance.id === undefined || instance.id === null ? name : String(instance.id),
    // An instance still being created has no status yet.
    state: instance.instanceStatus ?? 'PROVISIONING',
    imageRef,
    // A family reference names no image; the family is all the template says.
    imageName: imageRef === null || familyRef ? null : lastSegment(imageRef),
    ...(Object.keys(imageTags).length === 0 ? {} : { imageTags }),
    tags: { ...context.template?.properties?.labels, Name: name },
  };
}
