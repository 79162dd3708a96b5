import { ImageError } from './image.error';

export const IMAGE_PLATFORMS = ['aws', 'azure', 'gcp', 'vsphere', 'simulated', 'file'] as const;
export type ImagePlatform = (typeof IMAGE_PLATFORMS)[number];

/**
 * One provider artifact of an image version: an AMI in a region, a Shared Image Gallery version, a
 * GCP image, a vSphere template in a datacenter. `imageRef` is what inventory reports on assets.
 */
export interface PlatformRef {
  readonly platform: ImagePlatform;
  readonly region?: string;
  readonly imageRef: string;
}

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/;
const AMI = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const AZURE_GALLERY_VERSION =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/galleries\/[^/]+\/images\/[^/]+\/versions\/[0-9]+\.[0-9]+\.[0-9]+$/i;
const GCP_IMAGE =
  /^(https:\/\/www\.googleapis\.com\/compute\/v1\/)?projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/global\/images\/[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Problems with one artifact's reference, or none. */
export function platformRefProblems(ref: PlatformRef): string[] {
  const problems: string[] = [];
  switch (ref.platform) {
    case 'aws':
      if (!AMI.test(ref.imageRef)) problems.push(`aws imageRef ${ref.imageRef} is not an AMI id (ami-…)`);
      if (ref.region === undefined || !AWS_REGION.test(ref.region)) {
        problems.push(`aws AMI ${ref.imageRef} needs its region, e.g. eu-west-1`);
      }
      break;
    case 'azure':
      if (!AZURE_GALLERY_VERSION.test(ref.imageRef)) {
        problems.push(
          `azure imageRef is not a Shared Image Gallery version id (…/galleries/…/versions/x.y.z)`,
        );
      }
      break;
    case 'gcp':
      if (!GCP_IMAGE.test(ref.imageRef)) {
        problems.push(`gcp imageRef ${ref.imageRef} is not projects/<project>/global/images/<image>`);
      }
      break;
    case 'vsphere':
      if (ref.region === undefined)
        problems.push(`vsphere template ${ref.imageRef} needs its datacenter as region`);
      break;
    case 'simulated':
    case 'file':
      break;
  }
  return problems;
}

/** Validates every artifact, and that no platform lists two artifacts for the same region. */
export function assertPlatformRefs(refs: readonly PlatformRef[]): void {
  const problems = refs.flatMap(platformRefProblems);
  const seen = new Set<string>();
  for (const ref of refs) {
    const key = `${ref.platform}/${ref.region ?? ''}`;
    if (ref.platform !== 'azure' && seen.has(key)) {
      problems.push(`two ${ref.platform} artifacts for ${ref.region ?? 'the same scope'}`);
    }
    seen.add(key);
  }
  if (problems.length > 0) {
    throw new ImageError(
      'IMAGE.PLATFORM_REF_INVALID',
      `Invalid platform references: ${problems.join('; ')}`,
      {
        metadata: { problems },
      },
    );
  }
}
