/** Golden-image version and family of an asset, when they can be told from its image or its tags. */
export interface ImageLineage {
  readonly family: string | null;
  readonly version: string | null;
}

export interface ImageEvidence {
  readonly imageRef?: string | null;
  readonly imageName?: string | null;
  readonly tags?: Readonly<Record<string, string>>;
}

/** The pattern of `imageVersion` in the asset contracts. */
export const IMAGE_VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/;

// Tags set by the image pipeline win over anything read from a name.
const VERSION_TAGS = ['rf:image-version', 'image-version', 'image_version', 'ImageVersion', 'imageVersion'];
const FAMILY_TAGS = ['rf:image-family', 'image-family', 'image_family', 'ImageFamily', 'imageFamily'];

const AZURE_GALLERY_VERSION = /\/galleries\/[^/]+\/images\/([^/]+)\/versions\/([^/]+)$/i;
const TEMPLATE_PREFIX = /^(?:tpl|tmpl|template)[-_]/i;

interface SuffixRule {
  readonly pattern: RegExp;
  readonly version: (m: RegExpExecArray) => string | null;
}

const SUFFIX_RULES: readonly SuffixRule[] = [
  // ubuntu-22-04-base-2025.10.14, …-2025-10-14, …-v2025.10.14.2
  {
    pattern: /^(.*?)[-_.]v?(\d{4})[.\-_](\d{2})[.\-_](\d{2})(?:[.\-_](\d{1,4}))?$/,
    version: (m) => dateVersion(m[2], m[3], m[4], m[5]),
  },
  // win2022-core-20251014, debian-12-minimal-v20251014 (GCP names cannot hold dots)
  {
    pattern: /^(.*?)[-_.]v?(\d{4})(\d{2})(\d{2})(?:[-_.]?(\d{1,4}))?$/,
    version: (m) => dateVersion(m[2], m[3], m[4], m[5]),
  },
  // rhel-9-hardened-v1-4-2 (GCP) → 1.4.2
  {
    pattern: /^(.*?)[-_]v(\d+)[-_.](\d+)(?:[-_.](\d+))?$/,
    version: (m) => [m[2], m[3], m[4]].filter((part) => part !== undefined).join('.'),
  },
  // rhel9-golden-v1.4.2, app-base-2.3, app-base-1.0.0-rc.1
  {
    pattern: /^(.*?)[-_]v?(\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.]+)?)$/,
    version: (m) => m[2] ?? null,
  },
];

function dateVersion(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
  build: string | undefined,
): string | null {
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  if (!(y >= 2000 && y <= 2099 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31)) return null;
  const date = `${year ?? ''}.${month ?? ''}.${day ?? ''}`;
  return build === undefined ? date : `${date}.${build}`;
}

function firstTag(
  tags: Readonly<Record<string, string>> | undefined,
  keys: readonly string[],
): string | null {
  if (!tags) return null;
  for (const key of keys) {
    const value = tags[key]?.trim();
    if (value) return value;
  }
  return null;
}

/** Splits one image name (or the last segment of a path-like reference) into family and version. */
export function parseImageName(name: string): ImageLineage {
  const trimmed = name.trim();
  const gallery = AZURE_GALLERY_VERSION.exec(trimmed);
  if (gallery) {
    const version = gallery[2] ?? '';
    return { family: gallery[1] ?? null, version: IMAGE_VERSION_PATTERN.test(version) ? version : null };
  }
  const lastSegment = trimmed.slice(trimmed.lastIndexOf('/') + 1).replace(TEMPLATE_PREFIX, '');
  for (const rule of SUFFIX_RULES) {
    const match = rule.pattern.exec(lastSegment);
    if (!match) continue;
    const version = rule.version(match);
    if (version === null || !IMAGE_VERSION_PATTERN.test(version)) continue;
    const family = (match[1] ?? '').replace(/[-_.]+$/, '');
    return { family: family.length > 0 ? family : null, version };
  }
  return { family: null, version: null };
}

/**
 * The image lineage of an asset: tags first, then the image name, then the image reference (a GCP
 * self-link, an Azure gallery version id or a vSphere template name carry it; an AMI id does not).
 */
export function parseImageLineage(evidence: ImageEvidence): ImageLineage {
  const taggedVersion = firstTag(evidence.tags, VERSION_TAGS);
  const taggedFamily = firstTag(evidence.tags, FAMILY_TAGS);
  let parsedVersion: string | null = null;
  let parsedFamily: string | null = null;
  for (const candidate of [evidence.imageName, evidence.imageRef]) {
    if (!candidate) continue;
    const parsed = parseImageName(candidate);
    if (parsed.version === null) continue;
    parsedVersion = parsed.version;
    parsedFamily = parsed.family;
    break;
  }
  const version =
    taggedVersion !== null && IMAGE_VERSION_PATTERN.test(taggedVersion) ? taggedVersion : parsedVersion;
  const family = taggedFamily ?? parsedFamily;
  return { family: family !== null && family.length <= 128 ? family : null, version };
}
