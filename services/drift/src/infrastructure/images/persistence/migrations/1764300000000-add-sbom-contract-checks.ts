import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each SBOM's check against the packages of the contract published with its version. */
export class AddSbomContractChecks1764300000000 implements MigrationInterface {
  name = 'AddSbomContractChecks1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE image_sboms ADD COLUMN contract_check jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE image_sboms DROP COLUMN contract_check`);
  }
}
