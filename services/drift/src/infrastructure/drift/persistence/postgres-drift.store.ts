import type { EntityManager } from 'typeorm';
import type { DriftStore, StoredFamily } from '../../../application/drift/ports/drift-store.port';
import type { DriftGroupCounts } from '../../../domain/drift/drift-counters';
import type { TrackedAsset } from '../../../domain/drift/drift-engine';
import type { AssetVerdict, ImageCoordinates } from '../../../domain/drift/drift.types';
import { imageRefKey } from '../../../domain/drift/image-catalogue';
import type { ImageFamilyState } from '../../../domain/drift/image-family';
import type { RemediationTarget } from '../../../domain/drift/remediation-target';
import {
  ASSET_COLUMNS,
  ASSET_SELECT,
  assetFromRow,
  type AssetRow,
  assetToRow,
  COUNTER_DB_COLUMNS,
  COUNTER_SELECT,
  COUNTER_UNNEST,
  counterColumns,
  JUDGED_FROM,
  JUDGED_SELECT,
  JUDGED_VERDICT,
  type JudgedRow,
  judgedVerdict,
  NON_ZERO,
} from './drift-rows';

/**
 * The advisory lock shared by an organisation's incremental updates and taken exclusively by its
 * reconcile. Advisory locks are database-wide, so the key names the schema (read models in two schemas
 * never wait on each other) and the organisation (one organisation's reconcile never holds up another's
 * events).
 */
const DRIFT_LOCK = `hashtext(current_schema() || '.drift_engine.' || $1)`;

/**
 * The drift read model of one organisation in PostgreSQL, bound to one transaction's manager: every
 * read and write is of that organisation's rows only.
 */
export class PostgresDriftStore implements DriftStore {
  constructor(
    private readonly db: Pick<EntityManager, 'query'>,
    readonly organisation: string,
  ) {}

  async lockForUpdate(): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock_shared(${DRIFT_LOCK})`, [this.organisation]);
  }

  async lockForReconcile(): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(${DRIFT_LOCK})`, [this.organisation]);
  }

  async loadAsset(assetId: string): Promise<TrackedAsset | undefined> {
    const rows = await this.db.query<AssetRow[]>(
      `SELECT ${ASSET_SELECT} FROM drift_assets a WHERE organisation = $1 AND asset_id = $2 FOR UPDATE`,
      [this.organisation, assetId],
    );
    return rows[0] === undefined ? undefined : assetFromRow(rows[0]);
  }

  async saveAssets(assets: readonly TrackedAsset[]): Promise<void> {
    if (assets.length === 0) return;
    const rows = assets.map((a) =>
      assetToRow(a, a.facts.imageRef === null ? null : imageRefKey(a.facts.platform, a.facts.imageRef)),
    );
    const columns = ASSET_COLUMNS.map((c, i) => rows.map((r) => r[i]));
    const names = ASSET_COLUMNS.map((c) => c.name);
    await this.db.query(
      `INSERT INTO drift_assets (organisation, ${names.join(', ')})
       SELECT $${ASSET_COLUMNS.length + 1}::text, u.*
         FROM unnest(${ASSET_COLUMNS.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')}) u
       ON CONFLICT (organisation, asset_id) DO UPDATE SET
         ${names
           .slice(1)
           .map((n) => `${n} = excluded.${n}`)
           .join(', ')}, updated_at = now()`,
      [...columns, this.organisation],
    );
  }

  async deleteAssets(assetIds: readonly string[]): Promise<void> {
    if (assetIds.length === 0) return;
    await this.db.query('DELETE FROM drift_assets WHERE organisation = $1 AND asset_id = ANY($2::uuid[])', [
      this.organisation,
      assetIds,
    ]);
  }

  async assetsOfFamilies(families: readonly string[]): Promise<TrackedAsset[]> {
    if (families.length === 0) return [];
    const rows = await this.db.query<AssetRow[]>(
      `SELECT ${ASSET_SELECT} FROM drift_assets a
        WHERE organisation = $1 AND family = ANY($2::text[]) ORDER BY asset_id FOR UPDATE`,
      [this.organisation, families],
    );
    return rows.map(assetFromRow);
  }

  async assetsWithUnknownRefs(refKeys: readonly string[]): Promise<TrackedAsset[]> {
    if (refKeys.length === 0) return [];
    const rows = await this.db.query<AssetRow[]>(
      `SELECT ${ASSET_SELECT} FROM drift_assets a
        WHERE organisation = $1 AND family IS NULL AND ref_key = ANY($2::text[]) ORDER BY asset_id FOR UPDATE`,
      [this.organisation, refKeys],
    );
    return rows.map(assetFromRow);
  }

  async stageVersionVerdicts(verdicts: readonly AssetVerdict[]): Promise<void> {
    await this.db.query(`
      CREATE TEMPORARY TABLE IF NOT EXISTS drift_version_verdicts (
        family text NOT NULL, version text NOT NULL, verdict text NOT NULL, expected_version text,
        cause text, since timestamptz, PRIMARY KEY (family, version)
      ) ON COMMIT DROP`);
    await this.db.query('TRUNCATE drift_version_verdicts');
    const rows = verdicts.filter((v) => v.family !== null && v.version !== null);
    for (let i = 0; i < rows.length; i += 10_000) {
      const batch = rows.slice(i, i + 10_000);
      const drifting = (v: AssetVerdict) => (v.kind === 'drifting' ? v : null);
      await this.db.query(
        `INSERT INTO drift_version_verdicts
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])`,
        [
          batch.map((v) => v.family),
          batch.map((v) => v.version),
          batch.map((v) => v.kind),
          batch.map((v) => drifting(v)?.expectedVersion ?? null),
          batch.map((v) => drifting(v)?.cause ?? null),
          batch.map((v) => {
            const d = drifting(v);
            return d === null ? null : new Date(d.since).toISOString();
          }),
        ],
      );
    }
    await this.db.query('ANALYZE drift_version_verdicts');
  }

  async assetsDivergingFromStaged(): Promise<{ asset: TrackedAsset; verdict: AssetVerdict }[]> {
    const rows = await this.db.query<(AssetRow & JudgedRow)[]>(
      `SELECT ${ASSET_SELECT}, ${JUDGED_SELECT}
         FROM ${JUDGED_FROM}
        WHERE a.organisation = $1 AND ((a.verdict, a.family, a.version, a.expected_version, a.cause, a.since)
              IS DISTINCT FROM (${JUDGED_VERDICT}, r.family, r.version, v.expected_version, v.cause, v.since)
           OR (${JUDGED_VERDICT} = 'drifting') <> (a.drift_id IS NOT NULL))`,
      [this.organisation],
    );
    return rows.map((row) => ({ asset: assetFromRow(row), verdict: judgedVerdict(row) }));
  }

  async countersFromStaged(): Promise<DriftGroupCounts[]> {
    const count = (verdict: string, state: string) =>
      `count(*) FILTER (WHERE ${JUDGED_VERDICT} = '${verdict}' AND a.state = '${state}')::float8`;
    return this.db.query<DriftGroupCounts[]>(
      `SELECT a.environment, a.platform, a.site, COALESCE(r.family, '') AS family,
              ${count('compliant', 'running')} AS "compliantRunning",
              ${count('drifting', 'running')} AS "driftingRunning",
              ${count('unmanaged', 'running')} AS "unmanagedRunning",
              ${count('compliant', 'stopped')} AS "compliantStopped",
              ${count('drifting', 'stopped')} AS "driftingStopped",
              ${count('unmanaged', 'stopped')} AS "unmanagedStopped"
         FROM ${JUDGED_FROM}
        WHERE a.organisation = $1
        GROUP BY a.environment, a.platform, a.site, COALESCE(r.family, '')`,
      [this.organisation],
    );
  }

  async resolveRef(refKey: string): Promise<ImageCoordinates | undefined> {
    const rows = await this.db.query<{ family: string; version: string }[]>(
      'SELECT family, version FROM drift_image_refs WHERE organisation = $1 AND ref_key = $2',
      [this.organisation, refKey],
    );
    return rows[0];
  }

  async saveRefs(refs: readonly { key: string; coordinates: ImageCoordinates }[]): Promise<void> {
    if (refs.length === 0) return;
    await this.db.query(
      `INSERT INTO drift_image_refs (organisation, ref_key, family, version)
       SELECT $4::text, u.* FROM unnest($1::text[], $2::text[], $3::text[]) u
       ON CONFLICT (organisation, ref_key) DO NOTHING`,
      [
        refs.map((r) => r.key),
        refs.map((r) => r.coordinates.family),
        refs.map((r) => r.coordinates.version),
        this.organisation,
      ],
    );
  }

  async loadFamilies(families: readonly string[]): Promise<ImageFamilyState[]> {
    if (families.length === 0) return [];
    const rows = await this.db.query<{ state: ImageFamilyState }[]>(
      `SELECT state FROM drift_image_families WHERE organisation = $1 AND family = ANY($2::text[])
        ORDER BY family FOR UPDATE`,
      [this.organisation, families],
    );
    return rows.map((r) => r.state);
  }

  async allFamilies(): Promise<ImageFamilyState[]> {
    const rows = await this.db.query<{ state: ImageFamilyState }[]>(
      'SELECT state FROM drift_image_families WHERE organisation = $1',
      [this.organisation],
    );
    return rows.map((r) => r.state);
  }

  async saveFamilies(families: readonly StoredFamily[]): Promise<void> {
    if (families.length === 0) return;
    await this.db.query(
      `INSERT INTO drift_image_families (organisation, family, state, next_revocation_at)
       SELECT $4::text, u.* FROM unnest($1::text[], $2::jsonb[], $3::timestamptz[]) u
       ON CONFLICT (organisation, family) DO UPDATE SET state = excluded.state,
         next_revocation_at = excluded.next_revocation_at, updated_at = now()`,
      [
        families.map((f) => f.state.family),
        families.map((f) => JSON.stringify(f.state)),
        families.map((f) =>
          f.nextRevocationAt === null ? null : new Date(f.nextRevocationAt).toISOString(),
        ),
        this.organisation,
      ],
    );
  }

  async familiesWithRevocationDue(now: number): Promise<string[]> {
    const rows = await this.db.query<{ family: string }[]>(
      `SELECT family FROM drift_image_families
        WHERE organisation = $1 AND next_revocation_at <= $2 ORDER BY family`,
      [this.organisation, new Date(now).toISOString()],
    );
    return rows.map((r) => r.family);
  }

  async addToCounters(deltas: readonly DriftGroupCounts[]): Promise<void> {
    if (deltas.length === 0) return;
    const columns = counterColumns(deltas);
    await this.db.query(
      `INSERT INTO drift_counters AS c (organisation, environment, platform, site, family, ${COUNTER_DB_COLUMNS.join(', ')})
       SELECT $11::text, u.* FROM ${COUNTER_UNNEST} u
       ON CONFLICT (organisation, environment, platform, site, family) DO UPDATE SET
         ${COUNTER_DB_COLUMNS.map((n) => `${n} = c.${n} + excluded.${n}`).join(', ')}`,
      [...columns, this.organisation],
    );
  }

  async counters(): Promise<DriftGroupCounts[]> {
    return this.db.query<DriftGroupCounts[]>(
      `SELECT ${COUNTER_SELECT} FROM drift_counters WHERE organisation = $1 AND (${NON_ZERO})`,
      [this.organisation],
    );
  }

  async dropEmptyCounters(): Promise<void> {
    await this.db.query(`DELETE FROM drift_counters WHERE organisation = $1 AND NOT (${NON_ZERO})`, [
      this.organisation,
    ]);
  }

  async replaceCounters(groups: readonly DriftGroupCounts[]): Promise<void> {
    await this.db.query('DELETE FROM drift_counters WHERE organisation = $1', [this.organisation]);
    if (groups.length === 0) return;
    await this.db.query(
      `INSERT INTO drift_counters (organisation, environment, platform, site, family, ${COUNTER_DB_COLUMNS.join(', ')})
       SELECT $11::text, u.* FROM ${COUNTER_UNNEST} u`,
      [...counterColumns(groups), this.organisation],
    );
  }

  async saveRemediationTargets(targets: readonly RemediationTarget[]): Promise<void> {
    if (targets.length === 0) return;
    // An asset in two plans (or twice in one) keeps the latest: ordered so the last row wins.
    const latest = new Map<string, RemediationTarget>();
    for (const t of [...targets].sort((a, b) => a.plannedAt - b.plannedAt)) latest.set(t.assetId, t);
    const rows = [...latest.values()];
    await this.db.query(
      `INSERT INTO drift_remediation_targets AS t (organisation, asset_id, plan_id, family, to_version, planned_at)
       SELECT $6::text, u.* FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[]) u
       ON CONFLICT (organisation, asset_id) DO UPDATE SET plan_id = excluded.plan_id, family = excluded.family,
         to_version = excluded.to_version, planned_at = excluded.planned_at
       WHERE excluded.planned_at >= t.planned_at`,
      [
        rows.map((t) => t.assetId),
        rows.map((t) => t.planId),
        rows.map((t) => t.family),
        rows.map((t) => t.toVersion),
        rows.map((t) => new Date(t.plannedAt).toISOString()),
        this.organisation,
      ],
    );
  }

  async remediationTarget(assetId: string): Promise<RemediationTarget | undefined> {
    const [row] = await this.db.query<
      { plan_id: string; family: string; to_version: string; planned_at: number }[]
    >(
      `SELECT plan_id, family, to_version, (extract(epoch FROM planned_at) * 1000)::float8 AS planned_at
         FROM drift_remediation_targets WHERE organisation = $1 AND asset_id = $2 FOR UPDATE`,
      [this.organisation, assetId],
    );
    return row === undefined
      ? undefined
      : {
          assetId,
          planId: row.plan_id,
          family: row.family,
          toVersion: row.to_version,
          plannedAt: row.planned_at,
        };
  }

  async deleteRemediationTarget(assetId: string): Promise<void> {
    await this.db.query(`DELETE FROM drift_remediation_targets WHERE organisation = $1 AND asset_id = $2`, [
      this.organisation,
      assetId,
    ]);
  }

  async deleteRemediationTargetsOfPlan(planId: string): Promise<void> {
    await this.db.query(`DELETE FROM drift_remediation_targets WHERE organisation = $1 AND plan_id = $2`, [
      this.organisation,
      planId,
    ]);
  }
}
