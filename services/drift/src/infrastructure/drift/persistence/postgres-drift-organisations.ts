import type { EntityManager } from 'typeorm';

/**
 * Which organisations the drift engine's periodic work has to visit. It names organisations only:
 * each one's records are then read and written through a store bound to it.
 */
export class PostgresDriftOrganisations {
  constructor(private readonly db: Pick<EntityManager, 'query'>) {}

  /** Organisations with any drift state: assets, image families, counters or snapshots. */
  async withDriftState(): Promise<string[]> {
    const rows = await this.db.query<{ organisation: string }[]>(
      `SELECT organisation FROM drift_image_families
       UNION SELECT organisation FROM drift_counters
       UNION SELECT DISTINCT organisation FROM drift_snapshots
       UNION SELECT DISTINCT organisation FROM drift_assets
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
