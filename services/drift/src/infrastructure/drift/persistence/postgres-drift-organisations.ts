import type { EntityManager } from 'typeorm';

/** The distinct organisations of a table whose primary key or an index leads with `organisation`. */
function distinctOrganisations(table: string): string {
  return `(WITH RECURSIVE o AS (
      (SELECT organisation FROM ${table} ORDER BY organisation LIMIT 1)
      UNION ALL
      SELECT (SELECT t.organisation FROM ${table} t WHERE t.organisation > o.organisation
               ORDER BY t.organisation LIMIT 1)
        FROM o WHERE o.organisation IS NOT NULL
    ) SELECT organisation FROM o WHERE organisation IS NOT NULL)`;
}

/**
 * Which organisations the drift engine's periodic work has to visit. It names organisations only:
 * each one's records are then read and written through a store bound to it.
 */
export class PostgresDriftOrganisations {
  constructor(private readonly db: Pick<EntityManager, 'query'>) {}

  /**
   * Organisations with any drift state: assets, image families, counters or snapshots. The large
   * tables are walked organisation by organisation along the index that leads with it (a skip scan),
   * so the cost grows with the number of organisations, not of assets.
   */
  async withDriftState(): Promise<string[]> {
    const rows = await this.db.query<{ organisation: string }[]>(
      `${distinctOrganisations('drift_assets')}
       UNION ${distinctOrganisations('drift_snapshots')}
       UNION SELECT organisation FROM drift_image_families
       UNION SELECT organisation FROM drift_counters
       ORDER BY organisation`,
    );
    return rows.map((r) => r.organisation);
  }

  /** Organisations with a scheduled revocation that took effect by `now`. */
  async withRevocationDue(now: number): Promise<string[]> {
    const rows = await this.db.query<{ organisation: string }[]>(
      `SELECT DISTINCT organisation FROM drift_image_families WHERE next_revocation_at <= $1 ORDER BY organisation`,
      [new Date(now).toISOString()],
    );
    return rows.map((r) => r.organisation);
  }
}
