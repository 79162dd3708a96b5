import type { DataSource, EntityManager } from 'typeorm';
import type {
  ComplianceStore,
  EvidenceLink,
  RecoveryKind,
  StoredControl,
  StoredScore,
  SubjectKind,
} from '../../application/ports/compliance.store.port';
import type { AssetFacts, RecoveryFacts } from '../../domain/scoring/asset-facts';
import type { ComplianceBadge } from '../../domain/scoring/control-evaluation';

interface AssetRow {
  asset_id: string;
  environment: string | null;
  state: string;
  removed: boolean;
  image_ref: string | null;
  event_id: string;
  image_version_id: string | null;
  signature_verified: boolean | null;
  sbom_present: boolean | null;
  cis_level: number | null;
  slsa_build_level: number | null;
  revoked: boolean | null;
  published_event_id: string | null;
  revoked_event_id: string | null;
  drift_open: boolean | null;
  drift_detected_at: Date | null;
  drift_event_id: string | null;
  coverage_pct: number | null;
  coverage_taken_at: Date | null;
  coverage_event_id: string | null;
}

interface ScoreRow {
  score_id: string;
  subject_kind: SubjectKind;
  subject_id: string;
  score: number;
  previous_score: number | null;
  target: number;
  badge: ComplianceBadge;
  controls: StoredControl[];
  scored_at: Date;
}

// $1 is always the organisation: every join stays inside it.
const ASSET_FACTS_SQL = `
  SELECT a.asset_id, a.environment, a.state, a.removed, a.image_ref, a.event_id,
         i.image_version_id, i.signature_verified, i.sbom_present, i.cis_level, i.slsa_build_level, i.revoked,
         i.published_event_id, i.revoked_event_id,
         d.open AS drift_open, d.detected_at AS drift_detected_at, d.event_id AS drift_event_id,
         c.coverage_pct, c.taken_at AS coverage_taken_at, c.event_id AS coverage_event_id
    FROM compliance_assets a
    LEFT JOIN compliance_image_refs r ON r.organisation = a.organisation AND r.image_ref = a.image_ref
    LEFT JOIN compliance_images i
      ON i.organisation = r.organisation AND i.image_version_id = r.image_version_id
    LEFT JOIN compliance_drift d ON d.organisation = a.organisation AND d.asset_id = a.asset_id
    LEFT JOIN compliance_coverage c ON c.organisation = a.organisation AND c.environment = a.environment
   WHERE a.organisation = $1`;

function toScore(row: ScoreRow): StoredScore {
  return {
    scoreId: row.score_id,
    subjectKind: row.subject_kind,
    subjectId: row.subject_id,
    score: row.score,
    previousScore: row.previous_score,
    target: row.target,
    badge: row.badge,
    controls: row.controls,
    scoredAt: row.scored_at,
  };
}

/**
 * One organisation's compliance projections and scores in PostgreSQL; joins the transaction it is
 * built on. Every statement names the organisation: another organisation's rows are never read or
 * written.
 */
export class PostgresComplianceStore implements ComplianceStore {
  constructor(
    private readonly db: DataSource | EntityManager,
    readonly organisation: string,
  ) {}

  async upsertAsset(asset: Parameters<ComplianceStore['upsertAsset']>[0]) {
    const [before] = await this.db.query<{ environment: string | null; observed_at: Date }[]>(
      'SELECT environment, observed_at FROM compliance_assets WHERE organisation = $1 AND asset_id = $2 FOR UPDATE',
      [this.organisation, asset.assetId],
    );
    // An older observation arriving late changes nothing.
    if (before !== undefined && before.observed_at.getTime() > asset.observedAt.getTime()) {
      return { applied: false, previousEnvironment: before.environment };
    }
    await this.db.query(
      `INSERT INTO compliance_assets (asset_id, environment, state, removed, image_ref, event_id, observed_at,
         organisation)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (organisation, asset_id) DO UPDATE SET environment = EXCLUDED.environment, state = EXCLUDED.state,
         removed = EXCLUDED.removed, image_ref = EXCLUDED.image_ref, event_id = EXCLUDED.event_id,
         observed_at = EXCLUDED.observed_at`,
      [
        asset.assetId,
        asset.environment,
        asset.state,
        asset.removed,
        asset.imageRef,
        asset.eventId,
        asset.observedAt,
        this.organisation,
      ],
    );
    return { applied: true, previousEnvironment: before?.environment ?? null };
  }

  async upsertImage(image: Parameters<ComplianceStore['upsertImage']>[0]): Promise<void> {
    await this.db.query(
      `INSERT INTO compliance_images (image_version_id, signature_verified, sbom_present, cis_level, slsa_build_level,
         published_event_id, organisation)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (organisation, image_version_id) DO UPDATE SET signature_verified = EXCLUDED.signature_verified,
         sbom_present = EXCLUDED.sbom_present, cis_level = EXCLUDED.cis_level,
         slsa_build_level = EXCLUDED.slsa_build_level, published_event_id = EXCLUDED.published_event_id`,
      [
        image.imageVersionId,
        image.signatureVerified,
        image.sbomPresent,
        image.cisLevel,
        image.slsaBuildLevel,
        image.eventId,
        this.organisation,
      ],
    );
    if (image.imageRefs.length === 0) return;
    await this.db.query(
      `INSERT INTO compliance_image_refs (image_ref, image_version_id, organisation)
       SELECT unnest($1::text[]), $2, $3
       ON CONFLICT (organisation, image_ref) DO UPDATE SET image_version_id = EXCLUDED.image_version_id`,
      [image.imageRefs, image.imageVersionId, this.organisation],
    );
  }

  async revokeImage(imageVersionId: string, eventId: string): Promise<void> {
    await this.db.query(
      `UPDATE compliance_images SET revoked = true, revoked_event_id = $2
        WHERE image_version_id = $1 AND organisation = $3`,
      [imageVersionId, eventId, this.organisation],
    );
  }

  async recordDrift(drift: Parameters<ComplianceStore['recordDrift']>[0]): Promise<void> {
    await this.db.query(
      `INSERT INTO compliance_drift (asset_id, open, detected_at, event_id, observed_at, organisation)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (organisation, asset_id) DO UPDATE SET open = EXCLUDED.open, detected_at = EXCLUDED.detected_at,
         event_id = EXCLUDED.event_id, observed_at = EXCLUDED.observed_at
       WHERE compliance_drift.observed_at <= EXCLUDED.observed_at`,
      [drift.assetId, drift.open, drift.detectedAt, drift.eventId, drift.observedAt, this.organisation],
    );
  }

  async recordCoverage(coverage: Parameters<ComplianceStore['recordCoverage']>[0]): Promise<void> {
    await this.db.query(
      `INSERT INTO compliance_coverage (environment, coverage_pct, taken_at, event_id, organisation)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organisation, environment) DO UPDATE SET coverage_pct = EXCLUDED.coverage_pct, taken_at = EXCLUDED.taken_at,
         event_id = EXCLUDED.event_id
       WHERE compliance_coverage.taken_at <= EXCLUDED.taken_at`,
      [coverage.environment, coverage.coveragePct, coverage.takenAt, coverage.eventId, this.organisation],
    );
  }

  async recordRecovery(recovery: {
    kind: RecoveryKind;
    ok: boolean;
    completedAt: Date;
    eventId: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO compliance_recovery (kind, ok, completed_at, event_id, organisation) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organisation, kind) DO UPDATE SET ok = EXCLUDED.ok, completed_at = EXCLUDED.completed_at, event_id = EXCLUDED.event_id
       WHERE compliance_recovery.completed_at <= EXCLUDED.completed_at`,
      [recovery.kind, recovery.ok, recovery.completedAt, recovery.eventId, this.organisation],
    );
  }

  async linkEvidence(link: EvidenceLink): Promise<void> {
    await this.db.query(
      `INSERT INTO compliance_evidence_links (event_id, ledger_index, leaf_hash) VALUES ($1, $2, $3)
       ON CONFLICT (event_id) DO NOTHING`,
      [link.eventId, link.index, link.leafHash],
    );
  }

  async assetFacts(filter: { assetIds?: readonly string[]; environment?: string }): Promise<AssetFacts[]> {
    const recovery = await this.recovery();
    const [where, params] =
      filter.assetIds !== undefined
        ? ['AND a.asset_id = ANY($2::text[])', [this.organisation, filter.assetIds]]
        : filter.environment !== undefined
          ? ['AND a.environment = $2', [this.organisation, filter.environment]]
          : ['', [this.organisation]];
    const rows = await this.db.query<AssetRow[]>(`${ASSET_FACTS_SQL} ${where} ORDER BY a.asset_id`, params);
    return rows.map((r) => ({
      assetId: r.asset_id,
      environment: r.environment,
      state: r.state,
      removed: r.removed,
      imageRef: r.image_ref,
      assetEventId: r.event_id,
      image:
        r.image_version_id === null
          ? null
          : {
              imageVersionId: r.image_version_id,
              signatureVerified: r.signature_verified === true,
              sbomPresent: r.sbom_present === true,
              cisLevel: r.cis_level,
              slsaBuildLevel: r.slsa_build_level,
              revoked: r.revoked === true,
              eventIds: [r.published_event_id, r.revoked_event_id].filter((x): x is string => x !== null),
            },
      drift:
        r.drift_open === null || r.drift_detected_at === null || r.drift_event_id === null
          ? null
          : { open: r.drift_open, detectedAt: r.drift_detected_at, eventId: r.drift_event_id },
      coverage:
        r.coverage_pct === null || r.coverage_taken_at === null || r.coverage_event_id === null
          ? null
          : {
              coveragePct: r.coverage_pct,
              takenAt: r.coverage_taken_at,
              eventId: r.coverage_event_id,
            },
      recovery,
    }));
  }

  private async recovery(): Promise<RecoveryFacts> {
    const rows = await this.db.query<
      { kind: RecoveryKind; ok: boolean; completed_at: Date; event_id: string }[]
    >('SELECT kind, ok, completed_at, event_id FROM compliance_recovery WHERE organisation = $1', [
      this.organisation,
    ]);
    const of = (kind: RecoveryKind) => rows.find((r) => r.kind === kind);
    const backup = of('backup');
    const restore = of('restore');
    const drill = of('drill');
    return {
      lastBackup: backup ? { completedAt: backup.completed_at, eventId: backup.event_id } : null,
      lastRestore: restore
        ? { verified: restore.ok, completedAt: restore.completed_at, eventId: restore.event_id }
        : null,
      lastDrill: drill
        ? { passed: drill.ok, completedAt: drill.completed_at, eventId: drill.event_id }
        : null,
    };
  }

  async assetIdsRunningImage(imageVersionId: string): Promise<string[]> {
    const rows = await this.db.query<{ asset_id: string }[]>(
      `SELECT a.asset_id FROM compliance_assets a
         JOIN compliance_image_refs r ON r.organisation = a.organisation AND r.image_ref = a.image_ref
        WHERE r.image_version_id = $1 AND a.organisation = $2`,
      [imageVersionId, this.organisation],
    );
    return rows.map((r) => r.asset_id);
  }

  async environments(): Promise<string[]> {
    const rows = await this.db.query<{ environment: string }[]>(
      `SELECT DISTINCT environment FROM compliance_assets
        WHERE organisation = $1 AND environment IS NOT NULL ORDER BY environment`,
      [this.organisation],
    );
    return rows.map((r) => r.environment);
  }

  async evidenceLinks(eventIds: readonly string[]): Promise<Map<string, EvidenceLink>> {
    if (eventIds.length === 0) return new Map();
    const rows = await this.db.query<{ event_id: string; ledger_index: string; leaf_hash: string }[]>(
      'SELECT event_id, ledger_index, leaf_hash FROM compliance_evidence_links WHERE event_id = ANY($1::text[])',
      [[...new Set(eventIds)]],
    );
    return new Map(
      rows.map((r) => [
        r.event_id,
        { eventId: r.event_id, index: Number(r.ledger_index), leafHash: r.leaf_hash },
      ]),
    );
  }

  async markDirty(kind: 'environment' | 'organisation', ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `INSERT INTO compliance_dirty_subjects (subject_kind, subject_id, organisation)
       SELECT $1, unnest($2::text[]), $3
       ON CONFLICT DO NOTHING`,
      [kind, [...new Set(ids)], this.organisation],
    );
  }

  async latestScore(kind: SubjectKind, subjectId: string): Promise<StoredScore | undefined> {
    const [row] = await this.scoreRows(kind, subjectId, 1);
    return row === undefined ? undefined : toScore(row);
  }

  async saveScore(score: StoredScore): Promise<void> {
    await this.db.query(
      `INSERT INTO compliance_scores (score_id, subject_kind, subject_id, score, previous_score, target, badge, controls,
         scored_at, organisation) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        score.scoreId,
        score.subjectKind,
        score.subjectId,
        score.score,
        score.previousScore,
        score.target,
        score.badge,
        JSON.stringify(score.controls),
        score.scoredAt,
        this.organisation,
      ],
    );
  }

  async scoreHistory(kind: SubjectKind, subjectId: string, limit: number): Promise<StoredScore[]> {
    return (await this.scoreRows(kind, subjectId, limit)).map(toScore);
  }

  private scoreRows(kind: SubjectKind, subjectId: string, limit: number): Promise<ScoreRow[]> {
    return this.db.query<ScoreRow[]>(
      `SELECT score_id, subject_kind, subject_id, score, previous_score, target, badge, controls, scored_at
         FROM compliance_scores WHERE organisation = $4 AND subject_kind = $1 AND subject_id = $2
        ORDER BY scored_at DESC, score_id DESC LIMIT $3`,
      [kind, subjectId, limit, this.organisation],
    );
  }
}
