import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Evidence packs find the publication that pins an image version's SBOM by the version's id. */
export class IndexLedgerPayloadImageVersions1763900500000 implements MigrationInterface {
  name = 'IndexLedgerPayloadImageVersions1763900500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ledger_payloads_image_version_id_idx ON ledger_payloads ((content->>'imageVersionId'))
        WHERE content ? 'imageVersionId'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ledger_payloads_image_version_id_idx`);
  }
}
