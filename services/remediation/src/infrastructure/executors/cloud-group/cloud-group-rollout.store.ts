import type { DataSource } from 'typeorm';

export interface CloudGroupRolloutRow {
  readonly previousImage: string | null;
  readonly targetImage: string;
  readonly changedAt: Date | null;
  readonly marker: string | null;
  readonly outcome: 'succeeded' | 'failed' | null;
  readonly detail: string | null;
  readonly fromVersion: string | null;
  readonly toVersion: string | null;
}

export interface CloudGroupRolloutKey {
  readonly executor: string;
  readonly planId: string;
  readonly group: string;
  readonly action: 'apply' | 'revert';
}

/** The rollouts of cloud groups per plan, group and direction (`cloud_group_rollouts`). */
export class CloudGroupRolloutStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(key: CloudGroupRolloutKey): Promise<CloudGroupRolloutRow | undefined> {
    const [row] = await this.dataSource.query<
      {
        previous_image: string | null;
        target_image: string;
        changed_at: Date | null;
        marker: string | null;
        outcome: CloudGroupRolloutRow['outcome'];
        detail: string | null;
        from_version: string | null;
        to_version: string | null;
      }[]
    >(
      `SELECT previous_image, target_image, changed_at, marker, outcome, detail, from_version, to_version
         FROM cloud_group_rollouts WHERE executor = $1 AND plan_id = $2 AND group_ref = $3 AND action = $4`,
      [key.executor, key.planId, key.group, key.action],
    );
    if (row === undefined) return undefined;
    return {
      previousImage: row.previous_image,
      targetImage: row.target_image,
      changedAt: row.changed_at,
      marker: row.marker,
      outcome: row.outcome,
      detail: row.detail,
      fromVersion: row.from_version,
      toVersion: row.to_version,
    };
  }

  /** Claims the rollout with what the group ran before; the first claim's previous image and version stand. */
  async claim(
    key: CloudGroupRolloutKey,
    previous: { readonly image: string | null; readonly version: string | null },
    targetImage: string,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO cloud_group_rollouts (executor, plan_id, group_ref, action, previous_image, from_version, target_image)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [key.executor, key.planId, key.group, key.action, previous.image, previous.version, targetImage],
    );
  }

  /** Notes that the group is being changed with the driver's marker (first time only); returns the marker kept. */
  async markChanged(key: CloudGroupRolloutKey, marker: string): Promise<string> {
    const [row] = await this.dataSource.query<{ marker: string }[]>(
      `WITH marked AS (
         UPDATE cloud_group_rollouts SET changed_at = COALESCE(changed_at, now()), marker = COALESCE(marker, $5)
          WHERE executor = $1 AND plan_id = $2 AND group_ref = $3 AND action = $4 RETURNING marker)
       SELECT marker FROM marked`,
      [key.executor, key.planId, key.group, key.action, marker],
    );
    if (row === undefined) throw new Error(`rollout ${key.group} ${key.action} is not claimed`);
    return row.marker;
  }

  /** Records how the rollout ended (first time only), with the version the group went to. */
  async finish(
    key: CloudGroupRolloutKey,
    outcome: 'succeeded' | 'failed',
    detail: string,
    toVersion: string | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE cloud_group_rollouts SET outcome = $5, detail = $6, to_version = $7, finished_at = now()
        WHERE executor = $1 AND plan_id = $2 AND group_ref = $3 AND action = $4 AND outcome IS NULL`,
      [key.executor, key.planId, key.group, key.action, outcome, detail, toVersion],
    );
  }
}
