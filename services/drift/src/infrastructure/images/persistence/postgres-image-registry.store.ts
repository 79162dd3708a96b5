import type { NewEvent, UnitOfWork } from '@rf/platform-events';
import type { DataSource, EntityManager } from 'typeorm';
import type {
  ImageListFilter,
  ImageRegistryStore,
  ImageRegistryTransaction,
  NewImageVersion,
  NewRevocation,
  SignatureCheckRecord,
} from '../../../application/images/ports/image-registry.store.port';
import type { ImageChannel } from '../../../domain/images/image-channel';
import type { LineageEdge } from '../../../domain/images/image-lineage';
import {
  type ChannelEntry,
  ImageVersion,
  type Revocation,
  type SignatureCheck,
} from '../../../domain/images/image-version.entity';
import type { PlatformRef } from '../../../domain/images/platform-ref';
import type { SbomContractCheck } from '../../../domain/images/sbom-contract-check';

interface VersionRow {
  id: string;
  family: string;
  version: string;
  channel: ImageChannel;
  parent_id: string | null;
  parent_family: string | null;
  parent_version: string | null;
  digest: string;
  os: { name: string; version: string };
  artifacts: PlatformRef[];
  contract_ref: string | null;
  cis_level: number;
  cis_score: number;
  slsa_level: number | null;
  sbom_uri: string;
  sbom_sha256: string;
  package_count: number;
  contract_check: SbomContractCheck | null;
  built_at: Date;
  published_at: Date;
  channels: {
    channel: ImageChannel;
    enteredAt: string;
    policyDecisionId: string | null;
    rollback: boolean;
  }[];
  revocations: {
    id: string;
    causeVersionId: string;
    reason: Revocation['reason'];
    detail: string;
    effectiveAt: string;
    revokedAt: string;
  }[];
  signature: {
    verified: boolean;
    mode: SignatureCheck['mode'];
    key_id: string | null;
    identity: string;
    issuer: string;
    failure: string | null;
    checked_at: string;
  } | null;
}

/** A version with its parent, channel history, revocations and latest signature check. */
const SELECT_VERSIONS = `
  SELECT v.id, v.family, v.version, v.channel, v.parent_id, p.family AS parent_family,
         p.version AS parent_version, v.digest, v.os, v.artifacts, v.contract_ref, v.cis_level,
         v.cis_score, v.slsa_level, v.sbom_uri, v.sbom_sha256, s.package_count, s.contract_check, v.built_at,
         v.published_at,
         (SELECT coalesce(json_agg(json_build_object('channel', e.channel, 'enteredAt', e.entered_at,
                   'policyDecisionId', e.policy_decision_id, 'rollback', e.rollback) ORDER BY e.entered_at, e.id),
                   '[]'::json)
            FROM image_channel_entries e WHERE e.image_version_id = v.id) AS channels,
         (SELECT coalesce(json_agg(json_build_object('id', r.id, 'causeVersionId', r.cause_version_id,
                   'reason', r.reason, 'detail', r.detail, 'effectiveAt', r.effective_at,
                   'revokedAt', r.revoked_at) ORDER BY r.effective_at), '[]'::json)
            FROM image_revocations r WHERE r.image_version_id = v.id) AS revocations,
         (SELECT row_to_json(c) FROM (
            SELECT verified, mode, key_id, identity, issuer, failure, checked_at FROM image_signature_checks c
             WHERE c.image_version_id = v.id ORDER BY c.checked_at DESC, c.id DESC LIMIT 1) c) AS signature
    FROM image_versions v
    JOIN image_sboms s ON s.image_version_id = v.id
    LEFT JOIN image_versions p ON p.id = v.parent_id`;

function toVersion(row: VersionRow): ImageVersion {
  const channels: ChannelEntry[] = row.channels.map((c) => ({
    channel: c.channel,
    enteredAt: new Date(c.enteredAt),
    policyDecisionId: c.policyDecisionId,
    rollback: c.rollback,
  }));
  const revocations: Revocation[] = row.revocations.map((r) => ({
    ...r,
    effectiveAt: new Date(r.effectiveAt),
    revokedAt: new Date(r.revokedAt),
  }));
  const s = row.signature;
  return new ImageVersion({
    id: row.id,
    family: row.family,
    version: row.version,
    channel: row.channel,
    parent:
      row.parent_id && row.parent_family && row.parent_version
        ? { id: row.parent_id, family: row.parent_family, version: row.parent_version }
        : null,
    digest: row.digest,
    os: row.os,
    artifacts: row.artifacts,
    contractRef: row.contract_ref,
    cis: { level: row.cis_level, score: row.cis_score },
    slsaLevel: row.slsa_level,
    sbom: {
      uri: row.sbom_uri,
      sha256: row.sbom_sha256,
      packageCount: row.package_count,
      contractCheck: row.contract_check,
    },
    signature: s
      ? {
          verified: s.verified,
          mode: s.mode,
          keyId: s.key_id,
          identity: s.identity,
          issuer: s.issuer,
          failure: s.failure,
          checkedAt: new Date(s.checked_at),
        }
      : {
          verified: false,
          mode: 'warn',
          keyId: null,
          identity: 'unsigned',
          issuer: 'none',
          failure: 'never checked',
          checkedAt: row.published_at,
        },
    builtAt: row.built_at,
    publishedAt: row.published_at,
    channels,
    revocations,
  });
}

async function selectVersions(db: EntityManager, where: string, params: unknown[]): Promise<ImageVersion[]> {
  const rows = await db.query<VersionRow[]>(`${SELECT_VERSIONS} ${where}`, params);
  return rows.map(toVersion);
}

async function insertSignatureCheck(
  db: EntityManager,
  organisation: string,
  c: SignatureCheckRecord,
): Promise<void> {
  await db.query(
    `INSERT INTO image_signature_checks
       (image_version_id, family, version, digest, purpose, mode, verified, key_id, identity, issuer, failure, checked_at,
        organisation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      c.imageVersionId,
      c.family,
      c.version,
      c.digest,
      c.purpose,
      c.mode,
      c.verified,
      c.keyId,
      c.identity,
      c.issuer,
      c.failure,
      c.checkedAt,
      organisation,
    ],
  );
}

class PostgresImageRegistryTransaction implements ImageRegistryTransaction {
  constructor(
    private readonly db: EntityManager,
    readonly organisation: string,
    private readonly publishEvents: (...events: NewEvent[]) => void,
  ) {}

  /** Events about this organisation's images are in this organisation. */
  publish(...events: NewEvent[]): void {
    this.publishEvents(...events.map((e) => ({ ...e, organisation: this.organisation })));
  }

  async lockFamily(family: string): Promise<void> {
    await this.db.query(
      `INSERT INTO image_families (organisation, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [this.organisation, family],
    );
    await this.db.query(`SELECT name FROM image_families WHERE organisation = $1 AND name = $2 FOR UPDATE`, [
      this.organisation,
      family,
    ]);
  }

  async findVersion(id: string): Promise<ImageVersion | undefined> {
    return (
      await selectVersions(this.db, 'WHERE v.organisation = $1 AND v.id = $2', [this.organisation, id])
    )[0];
  }

  async findByFamilyVersion(family: string, version: string): Promise<ImageVersion | undefined> {
    return (
      await selectVersions(this.db, 'WHERE v.organisation = $1 AND v.family = $2 AND v.version = $3', [
        this.organisation,
        family,
        version,
      ])
    )[0];
  }

  findVersions(ids: readonly string[]): Promise<ImageVersion[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return selectVersions(
      this.db,
      'WHERE v.organisation = $1 AND v.id = ANY($2::uuid[]) ORDER BY v.published_at, v.id',
      [this.organisation, [...ids]],
    );
  }

  async insertVersion(v: NewImageVersion, entry: { readonly policyDecisionId: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO image_versions (id, family, version, channel, parent_id, digest, manifest, os, artifacts,
         contract_ref, cis_level, cis_score, slsa_level, sbom_uri, sbom_sha256, signature_bundle, built_at,
         published_at, published_by, organisation)
       VALUES ($1, $2, $3, 'dev', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
      [
        v.id,
        v.family,
        v.version,
        v.parentId,
        v.digest,
        v.manifest,
        JSON.stringify(v.os),
        JSON.stringify(v.artifacts),
        v.contractRef,
        v.cis.level,
        v.cis.score,
        v.slsaLevel,
        v.sbom.uri,
        v.sbom.sha256,
        v.signatureBundle === null ? null : JSON.stringify(v.signatureBundle),
        v.builtAt,
        v.publishedAt,
        JSON.stringify(v.publishedBy),
        this.organisation,
      ],
    );
    await this.db.query(
      `INSERT INTO image_sboms (image_version_id, sha256, document, package_count, contract_check, organisation)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        v.id,
        v.sbom.sha256,
        v.sbom.document,
        v.sbom.packageCount,
        v.sbom.contractCheck === null ? null : JSON.stringify(v.sbom.contractCheck),
        this.organisation,
      ],
    );
    await this.db.query(
      `INSERT INTO image_channel_entries (image_version_id, family, channel, entered_at, policy_decision_id, organisation)
       VALUES ($1, $2, 'dev', $3, $4, $5)`,
      [v.id, v.family, v.publishedAt, entry.policyDecisionId, this.organisation],
    );
  }

  async enterChannel(
    id: string,
    channel: ImageChannel,
    at: Date,
    policyDecisionId: string,
    rollback = false,
  ): Promise<void> {
    await this.db.query(`UPDATE image_versions SET channel = $2 WHERE id = $1 AND organisation = $3`, [
      id,
      channel,
      this.organisation,
    ]);
    await this.db.query(
      `INSERT INTO image_channel_entries
         (image_version_id, family, channel, entered_at, policy_decision_id, rollback, organisation)
       SELECT id, family, $2, $3, $4, $5, organisation FROM image_versions WHERE id = $1 AND organisation = $6`,
      [id, channel, at, policyDecisionId, rollback, this.organisation],
    );
  }

  async latestInChannel(
    family: string,
    channel: ImageChannel,
    excludeId?: string,
  ): Promise<ImageVersion | undefined> {
    const [row] = await this.db.query<{ image_version_id: string }[]>(
      `SELECT image_version_id FROM image_channel_entries
        WHERE organisation = $4 AND family = $1 AND channel = $2
          AND ($3::uuid IS NULL OR image_version_id <> $3::uuid)
        ORDER BY entered_at DESC, id DESC LIMIT 1`,
      [family, channel, excludeId ?? null, this.organisation],
    );
    return row ? this.findVersion(row.image_version_id) : undefined;
  }

  async lineage(): Promise<LineageEdge[]> {
    const rows = await this.db.query<{ id: string; parent_id: string | null }[]>(
      `SELECT id, parent_id FROM image_versions WHERE organisation = $1`,
      [this.organisation],
    );
    return rows.map((r) => ({ id: r.id, parentId: r.parent_id }));
  }

  async insertRevocations(revocations: readonly NewRevocation[]): Promise<void> {
    for (const r of revocations) {
      await this.db.query(
        `INSERT INTO image_revocations (id, image_version_id, cause_version_id, reason, detail, cve_ids,
           effective_at, revoked_at, revoked_by, organisation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          r.id,
          r.imageVersionId,
          r.causeVersionId,
          r.reason,
          r.detail,
          [...r.cveIds],
          r.effectiveAt,
          r.revokedAt,
          JSON.stringify(r.revokedBy),
          this.organisation,
        ],
      );
    }
  }

  recordSignatureCheck(check: SignatureCheckRecord): Promise<void> {
    return insertSignatureCheck(this.db, this.organisation, check);
  }
}

/**
 * The registry in the drift database, every query within one organisation; changes and their events
 * commit through one UnitOfWork.
 */
export class PostgresImageRegistryStore implements ImageRegistryStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  transaction<T>(organisation: string, work: (tx: ImageRegistryTransaction) => Promise<T>): Promise<T> {
    return this.unitOfWork.run((ctx) =>
      work(
        new PostgresImageRegistryTransaction(ctx.manager, organisation, (...events) =>
          ctx.publish(...events),
        ),
      ),
    );
  }

  async findVersion(organisation: string, id: string): Promise<ImageVersion | undefined> {
    return (
      await selectVersions(this.dataSource.manager, 'WHERE v.organisation = $1 AND v.id = $2', [
        organisation,
        id,
      ])
    )[0];
  }

  list(filter: ImageListFilter): Promise<ImageVersion[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    where.push(`v.organisation = ${param(filter.organisation)}`);
    if (filter.family !== undefined) where.push(`v.family = ${param(filter.family)}`);
    if (filter.channel !== undefined) where.push(`v.channel = ${param(filter.channel)}`);
    if (filter.platform !== undefined) {
      where.push(`v.artifacts @> ${param(JSON.stringify([{ platform: filter.platform }]))}::jsonb`);
    }
    if (filter.revoked !== undefined) {
      where.push(
        `${filter.revoked ? '' : 'NOT '}EXISTS (SELECT 1 FROM image_revocations r
           WHERE r.image_version_id = v.id AND r.effective_at <= ${param(filter.now)})`,
      );
    }
    if (filter.after) {
      where.push(
        `(v.published_at, v.id) < (${param(filter.after.publishedAt)}, ${param(filter.after.id)}::uuid)`,
      );
    }
    return selectVersions(
      this.dataSource.manager,
      `WHERE ${where.join(' AND ')} ORDER BY v.published_at DESC, v.id DESC LIMIT ${param(filter.limit)}`,
      params,
    );
  }

  async sbomDocument(organisation: string, id: string): Promise<string | undefined> {
    const [row] = await this.dataSource.query<{ document: string }[]>(
      `SELECT document FROM image_sboms WHERE organisation = $1 AND image_version_id = $2`,
      [organisation, id],
    );
    return row?.document;
  }

  async signatureBundle(
    organisation: string,
    id: string,
  ): Promise<{ readonly manifest: string; readonly bundle: unknown } | undefined> {
    const [row] = await this.dataSource.query<{ manifest: string; signature_bundle: unknown }[]>(
      `SELECT manifest, signature_bundle FROM image_versions WHERE organisation = $1 AND id = $2`,
      [organisation, id],
    );
    return row ? { manifest: row.manifest, bundle: row.signature_bundle } : undefined;
  }

  recordSignatureCheck(organisation: string, check: SignatureCheckRecord): Promise<void> {
    return insertSignatureCheck(this.dataSource.manager, organisation, check);
  }
}
