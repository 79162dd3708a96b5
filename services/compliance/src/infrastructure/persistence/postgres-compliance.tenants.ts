import type { DataSource, EntityManager } from 'typeorm';
import type {
  ComplianceStore,
  ComplianceTenants,
  DirtySubject,
} from '../../application/ports/compliance.store.port';
import { PostgresComplianceStore } from './postgres-compliance.store';

/** Each organisation's compliance store in PostgreSQL, on one transaction or data source. */
export class PostgresComplianceTenants implements ComplianceTenants {
  constructor(private readonly db: DataSource | EntityManager) {}

  forOrganisation(organisation: string): ComplianceStore {
    return new PostgresComplianceStore(this.db, organisation);
  }

  async takeDirty(limit: number): Promise<DirtySubject[]> {
    const rows = await this.db.query<
      { organisation: string; subject_kind: 'environment' | 'organisation'; subject_id: string }[]
    >(
      // As a SELECT over the CTE: a bare DELETE … RETURNING comes back from TypeORM as [rows, count].
      `WITH taken AS (
         DELETE FROM compliance_dirty_subjects WHERE (organisation, subject_kind, subject_id) IN (
           SELECT organisation, subject_kind, subject_id FROM compliance_dirty_subjects
            ORDER BY organisation, subject_kind, subject_id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING organisation, subject_kind, subject_id)
       SELECT organisation, subject_kind, subject_id FROM taken ORDER BY organisation, subject_kind, subject_id`,
      [limit],
    );
    return rows.map((r) => ({ organisation: r.organisation, kind: r.subject_kind, id: r.subject_id }));
  }
}
