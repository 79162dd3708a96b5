import type { DriftGroupCounts } from '../../../domain/drift/drift-counters';
import type { TrackedAsset } from '../../../domain/drift/drift-engine';
import type {
  AssetPlatform,
  AssetVerdict,
  DriftCause,
  DriftEpisode,
} from '../../../domain/drift/drift.types';

/** Columns of drift_assets, in the order the store reads and writes them. */
export const ASSET_COLUMNS = [
  { name: 'asset_id', type: 'uuid' },
  { name: 'environment', type: 'text' },
  { name: 'platform', type: 'text' },
  { name: 'site', type: 'text' },
  { name: 'region', type: 'text' },
  { name: 'image_ref', type: 'text' },
  { name: 'ref_key', type: 'text' },
  { name: 'state', type: 'text' },
  { name: 'verdict', type: 'text' },
  { name: 'family', type: 'text' },
  { name: 'version', type: 'text' },
  { name: 'expected_version', type: 'text' },
  { name: 'cause', type: 'text' },
  { name: 'since', type: 'timestamptz' },
  { name: 'drift_id', type: 'uuid' },
  { name: 'drift_opened_at', type: 'timestamptz' },
] as const;

/** Selects drift_assets with times as epoch ms, matching AssetRow. */
export const ASSET_SELECT = `asset_id, environment, platform, site, region, image_ref, state, verdict, family, version,
  expected_version, cause, (extract(epoch FROM since) * 1000)::float8 AS since, drift_id,
  (extract(epoch FROM drift_opened_at) * 1000)::float8 AS drift_opened_at`;

export interface AssetRow {
  asset_id: string;
  environment: string;
  platform: AssetPlatform;
  site: string | null;
  region: string;
  image_ref: string | null;
  state: 'running' | 'stopped';
  verdict: AssetVerdict['kind'];
  family: string | null;
  version: string | null;
  expected_version: string | null;
  cause: DriftCause | null;
  since: number | null;
  drift_id: string | null;
  drift_opened_at: number | null;
}

export function assetFromRow(row: AssetRow): TrackedAsset {
  const facts = {
    assetId: row.asset_id,
    environment: row.environment,
    platform: row.platform,
    site: row.site,
    region: row.region,
    imageRef: row.image_ref,
    state: row.state,
  };
  let verdict: AssetVerdict;
  let episode: DriftEpisode | null = null;
  if (
    row.verdict === 'drifting' &&
    row.family !== null &&
    row.version !== null &&
    row.expected_version !== null &&
    row.cause !== null &&
    row.since !== null
  ) {
    verdict = {
      kind: 'drifting',
      family: row.family,
      version: row.version,
      expectedVersion: row.expected_version,
      cause: row.cause,
      since: row.since,
    };
    if (row.drift_id !== null && row.drift_opened_at !== null) {
      episode = {
        driftId: row.drift_id,
        family: row.family,
        runningVersion: row.version,
        expectedVersion: row.expected_version,
        cause: row.cause,
        since: row.since,
        openedAt: row.drift_opened_at,
      };
    }
  } else if (row.verdict === 'compliant' && row.family !== null && row.version !== null) {
    verdict = { kind: 'compliant', family: row.family, version: row.version };
  } else {
    verdict = { kind: 'unmanaged', family: row.family, version: row.version };
  }
  return { facts, verdict, episode };
}

/** The asset as drift_assets values, in ASSET_COLUMNS order. */
export function assetToRow(asset: TrackedAsset, refKey: string | null): unknown[] {
  const { facts, verdict, episode } = asset;
  const drifting = verdict.kind === 'drifting' ? verdict : null;
  return [
    facts.assetId,
    facts.environment,
    facts.platform,
    facts.site,
    facts.region,
    facts.imageRef,
    refKey,
    facts.state,
    verdict.kind,
    verdict.family,
    verdict.version,
    drifting?.expectedVersion ?? null,
    drifting?.cause ?? null,
    drifting === null ? null : new Date(drifting.since).toISOString(),
    episode?.driftId ?? null,
    episode === null ? null : new Date(episode.openedAt).toISOString(),
  ];
}

export const COUNTER_SELECT = `environment, platform, NULLIF(site, '') AS site, family,
  compliant_running::float8 AS "compliantRunning", drifting_running::float8 AS "driftingRunning",
  unmanaged_running::float8 AS "unmanagedRunning", compliant_stopped::float8 AS "compliantStopped",
  drifting_stopped::float8 AS "driftingStopped", unmanaged_stopped::float8 AS "unmanagedStopped"`;

export const COUNTER_DB_COLUMNS = [
  'compliant_running',
  'drifting_running',
  'unmanaged_running',
  'compliant_stopped',
  'drifting_stopped',
  'unmanaged_stopped',
] as const;

/** Counter groups as one array per column, site '' for none, sorted by key so concurrent writers lock in one order. */
export function counterColumns(groups: readonly DriftGroupCounts[]): unknown[][] {
  const sorted = [...groups].sort((a, b) => {
    const ka = `${a.environment}\u0000${a.platform}\u0000${a.site ?? ''}\u0000${a.family}`;
    const kb = `${b.environment}\u0000${b.platform}\u0000${b.site ?? ''}\u0000${b.family}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return [
    sorted.map((g) => g.environment),
    sorted.map((g) => g.platform),
    sorted.map((g) => g.site ?? ''),
    sorted.map((g) => g.family),
    sorted.map((g) => g.compliantRunning),
    sorted.map((g) => g.driftingRunning),
    sorted.map((g) => g.unmanagedRunning),
    sorted.map((g) => g.compliantStopped),
    sorted.map((g) => g.driftingStopped),
    sorted.map((g) => g.unmanagedStopped),
  ];
}

export const COUNTER_UNNEST = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[],
  $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[])`;

/** Counter groups that hold any asset; emptied groups stay at zero until a reconcile drops them. */
export const NON_ZERO = COUNTER_DB_COLUMNS.map((n) => `${n} <> 0`).join(' OR ');
