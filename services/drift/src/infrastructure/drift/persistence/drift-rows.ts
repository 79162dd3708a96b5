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

/** Selects drift_assets (aliased `a`) with times as epoch ms, matching AssetRow. */
export const ASSET_SELECT = `a.asset_id, a.environment, a.platform, a.site, a.region, a.image_ref, a.state, a.verdict,
  a.family, a.version, a.expected_version, a.cause, (extract(epoch FROM a.since) * 1000)::float8 AS since, a.drift_id,
  (extract(epoch FROM a.drift_opened_at) * 1000)::float8 AS drift_opened_at`;

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

/**
 * drift_assets `a` joined with its image reference `r` (of the asset's own organisation) and the staged
 * verdict `v` of that version; the staged verdicts are one organisation's, so a query using this filters
 * `a.organisation` to that organisation.
 */
export const JUDGED_FROM = `drift_assets a
  LEFT JOIN drift_image_refs r ON r.organisation = a.organisation AND r.ref_key = a.ref_key
  LEFT JOIN drift_version_verdicts v ON v.family = r.family AND v.version = r.version`;

/** No reference, or a version without a judgement, is unmanaged, as the domain's classifyAsset says. */
export const JUDGED_VERDICT = `COALESCE(v.verdict, 'unmanaged')`;

export const JUDGED_SELECT = `${JUDGED_VERDICT} AS j_verdict, r.family AS j_family, r.version AS j_version,
  v.expected_version AS j_expected_version, v.cause AS j_cause,
  (extract(epoch FROM v.since) * 1000)::float8 AS j_since`;

export interface JudgedRow {
  j_verdict: AssetVerdict['kind'];
  j_family: string | null;
  j_version: string | null;
  j_expected_version: string | null;
  j_cause: DriftCause | null;
  j_since: number | null;
}

export function judgedVerdict(row: JudgedRow): AssetVerdict {
  const { j_verdict, j_family, j_version, j_expected_version, j_cause, j_since } = row;
  if (j_family === null || j_version === null) return { kind: 'unmanaged', family: null, version: null };
  if (j_verdict === 'drifting' && j_expected_version !== null && j_cause !== null && j_since !== null) {
    return {
      kind: 'drifting',
      family: j_family,
      version: j_version,
      expectedVersion: j_expected_version,
      cause: j_cause,
      since: j_since,
    };
  }
  if (j_verdict === 'compliant') return { kind: 'compliant', family: j_family, version: j_version };
  return { kind: 'unmanaged', family: j_family, version: j_version };
}
