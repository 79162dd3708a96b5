/** Where an asset's group lives and how a version names its image there; configuration says. */
export interface CloudGroupTarget {
  /** The group's provider path: an ARM scale-set id, or `projects/p/zones|regions/x/instanceGroupManagers/m`. */
  readonly group: string;
  /** The image for a version: `{version}` and `{versionSlug}` (dots and pluses as dashes) are replaced. */
  readonly image: string;
}

/** What a group runs now: what to restore it to, and the version that is. */
export interface CloudGroupModel {
  /** Image (Azure) or instance template (GCP) the group's model names. */
  readonly ref: string;
  readonly version: string | null;
}

export type CloudGroupChange =
  | { readonly kind: 'image'; readonly image: string; readonly version: string }
  | { readonly kind: 'restore'; readonly ref: string };

export interface CloudRolloutRequest {
  readonly group: string;
  readonly change: CloudGroupChange;
  readonly maxConcurrency: number;
  /**
   * The driver's marker from when an earlier attempt first touched the group for this change, if
   * one did (e.g. the provider's start time of the last rollout before it): a rollout begun after
   * it is this change's and is joined or taken as the result, never started again.
   */
  readonly marker: string | null;
  /** Records that the group is being changed, with the marker, before the change; returns the marker kept. */
  readonly markStarted: (marker: string) => Promise<string>;
  readonly heartbeat: (details: unknown) => void;
}

export interface CloudRolloutOutcome {
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * One provider's group rollout: read the group's model, point it at a new image (or back at the
 * old one) and roll the instances, joining a rollout already under way instead of starting another.
 */
export interface CloudGroupRolloutDriver {
  readonly name: string;
  current(group: string): Promise<CloudGroupModel>;
  roll(request: CloudRolloutRequest): Promise<CloudRolloutOutcome>;
}

/** Resolves an asset to its group; unknown assets fail the change instead of guessing. */
export interface CloudGroupTargets {
  /** The group of an asset of `organisation`; undefined when none is configured. */
  resolve(assetId: string, organisation?: string): CloudGroupTarget | undefined;
}

/**
 * Targets from `RF_REMEDIATION_CLOUD_GROUPS`: a key `<organisation>/<assetId>` maps that
 * organisation's asset, and takes precedence over a bare `<assetId>`, which maps the asset in any
 * organisation. Two organisations' assets thus never share a mapping unless configured to.
 */
export function organisationCloudGroupTargets(
  targets: Readonly<Record<string, CloudGroupTarget>>,
): CloudGroupTargets {
  return {
    resolve: (assetId, organisation) =>
      (organisation === undefined ? undefined : targets[`${organisation}/${assetId}`]) ?? targets[assetId],
  };
}

/** The image of a version under a target's template. */
export function imageOf(target: CloudGroupTarget, version: string): string {
  return target.image
    .replaceAll('{versionSlug}', version.toLowerCase().replace(/[^a-z0-9-]/gu, '-'))
    .replaceAll('{version}', version);
}
