import { AssetIdentity, UNSCOPED_ORGANISATION } from '../asset/asset-identity.value-object';
import type { ObservedAsset, Tags } from '../asset/asset.entity';
import { parseImageLineage } from '../asset/image-version.parser';
import { isPlatform, type Platform } from '../asset/platform';
import { mapPowerState } from './power-state.mapper';
import type { RawAssetRecord } from './raw-asset-record';

export interface NormalisationOptions {
  /** The organisation of the scanning connector; absent: the unscoped (default) organisation. */
  readonly organisation?: string;
  /** Site per region (or vSphere datacenter), e.g. `{ "eu-west-1": "dublin" }`; wins over the derived alias. */
  readonly siteAliases?: Readonly<Record<string, string>>;
}

export type NormalisationResult =
  | { readonly ok: true; readonly asset: ObservedAsset }
  | { readonly ok: false; readonly problems: readonly string[] };

// Limits of the asset contracts: a record that would break them is rejected here, not at the outbox.
const LIMITS = { account: 128, region: 64, site: 128, project: 128, instanceId: 512, imageRef: 512 } as const;
const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 512;
const LINE_BREAK = /[\n\r\u2028\u2029]/;
const ENVIRONMENT_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

const ENVIRONMENT_TAGS = ['rf:environment', 'environment', 'Environment', 'env', 'Env'];
const PROJECT_TAGS = ['rf:project', 'project', 'Project'];
const ENVIRONMENT_SYNONYMS = new Map([
  ['production', 'prod'],
  ['prd', 'prod'],
  ['development', 'dev'],
  ['stage', 'staging'],
  ['stg', 'staging'],
]);

/** Records come from untyped sources: describe a bad value without trusting its type or length. */
function preview(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 32) : typeof value;
}

function text(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}

function firstTag(tags: Tags, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = Object.hasOwn(tags, key) ? text(tags[key]) : null;
    if (value !== null) return value;
  }
  return null;
}

/** `Production` → `prod`, `QA 1` → `qa-1`; null when nothing usable is left. */
export function canonicalEnvironment(value: string | null): string | null {
  if (value === null) return null;
  const slug = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  const canonical = ENVIRONMENT_SYNONYMS.get(slug) ?? slug;
  return ENVIRONMENT_PATTERN.test(canonical) ? canonical : null;
}

/** The site a region belongs to when the connector does not say: the region without its ordinal or zone. */
export function derivedSite(platform: Platform, region: string): string {
  switch (platform) {
    case 'aws':
      return region.replace(/-\d+$/, '');
    case 'gcp':
      return region.replace(/-[a-z]$/, '').replace(/\d+$/, '');
    case 'azure':
    case 'vsphere':
    case 'simulated':
    case 'file':
      return region;
  }
}

/** The asset's own tags win over its image's: an operator may pin a version on the machine. */
function lineageTags(raw: RawAssetRecord, tags: Tags): Tags {
  const imageTags: unknown = raw.imageTags;
  if (typeof imageTags !== 'object' || imageTags === null || Array.isArray(imageTags)) return tags;
  const merged = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(imageTags as Record<string, unknown>)) {
    if (typeof value === 'string') merged[key] = value;
  }
  return { ...merged, ...tags };
}

function checkTags(tags: unknown, problems: string[]): Tags {
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== 'object' || Array.isArray(tags)) {
    problems.push('tags must be an object of strings');
    return {};
  }
  const source = tags as Record<string, unknown>;
  const keys = Object.keys(source);
  let sorted = true;
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] ?? '';
    const value = source[key];
    if (key.length === 0 || key.length > TAG_KEY_MAX) {
      problems.push(`tag key "${key.slice(0, 32)}" must have 1-128 characters`);
    } else if (LINE_BREAK.test(key)) {
      // `asset.updated` names a tag change `tags.<key>`, a pattern no line break can match.
      problems.push(`tag key "${key.slice(0, 32)}" contains a line break`);
    } else if (typeof value !== 'string') problems.push(`tag ${key} must be a string`);
    else if (value.length > TAG_VALUE_MAX) problems.push(`tag ${key} is longer than 512 characters`);
    if (i > 0 && key < (keys[i - 1] ?? '')) sorted = false;
  }
  if (problems.length > 0) return {};
  // Sorted keys: equal tag sets compare and serialise identically whatever order the provider used.
  if (sorted && Object.getPrototypeOf(source) === Object.prototype) return source as Tags;
  return Object.fromEntries(keys.sort().map((key) => [key, source[key] as string]));
}

function bounded(
  field: keyof typeof LIMITS,
  value: string | null,
  problems: string[],
  required: boolean,
): string | null {
  if (value === null) {
    if (required) problems.push(`${field} is required`);
    return null;
  }
  if (value.length > LIMITS[field]) {
    problems.push(`${field} is longer than ${LIMITS[field]} characters`);
    return null;
  }
  return value;
}

/**
 * Turns one connector record into a provider-neutral asset: canonical identity and id, power state,
 * site, environment, project and image lineage. Never throws; a record it cannot trust is rejected
 * with every problem listed.
 */
export function normaliseAsset(raw: RawAssetRecord, options: NormalisationOptions = {}): NormalisationResult {
  const problems: string[] = [];
  if (!isPlatform(raw.platform)) {
    return { ok: false, problems: [`platform "${preview(raw.platform)}" is not supported`] };
  }
  const platform = raw.platform;
  const account = bounded('account', text(raw.account), problems, true);
  const region = bounded('region', text(raw.region), problems, true);
  const instanceId = bounded('instanceId', text(raw.instanceId), problems, true);
  const state = typeof raw.state === 'string' ? mapPowerState(platform, raw.state) : undefined;
  if (state === undefined) problems.push(`state "${preview(raw.state)}" is not a known power state`);
  const tags = checkTags(raw.tags, problems);
  const imageRef = bounded('imageRef', text(raw.imageRef), problems, false);
  const project = bounded('project', text(raw.project) ?? firstTag(tags, PROJECT_TAGS), problems, false);
  if (
    account === null ||
    region === null ||
    instanceId === null ||
    state === undefined ||
    problems.length > 0
  ) {
    return { ok: false, problems };
  }

  const identity = AssetIdentity.of({
    organisation: options.organisation ?? UNSCOPED_ORGANISATION,
    platform,
    account,
    region,
    instanceId,
  });
  const aliases = options.siteAliases ?? {};
  const alias = Object.hasOwn(aliases, identity.region) ? text(aliases[identity.region]) : null;
  const site = text(raw.site) ?? alias ?? derivedSite(platform, identity.region);
  const checkedSite = bounded('site', site, problems, false);
  if (problems.length > 0) return { ok: false, problems };
  const lineage = parseImageLineage({
    imageRef,
    imageName: text(raw.imageName),
    tags: lineageTags(raw, tags),
  });
  return {
    ok: true,
    asset: {
      assetId: identity.assetId,
      organisation: identity.organisation,
      platform,
      account: identity.account,
      region: identity.region,
      instanceId: identity.instanceId,
      site: checkedSite,
      environment: canonicalEnvironment(text(raw.environment) ?? firstTag(tags, ENVIRONMENT_TAGS)),
      project,
      imageRef,
      imageFamily: lineage.family,
      imageVersion: lineage.version,
      state,
      tags,
    },
  };
}
