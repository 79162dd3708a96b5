import type { DataSource } from 'typeorm';
import type {
  AssetChange,
  AssetChangeResult,
  RemediationExecutor,
} from '../../../application/ports/remediation-executor.port';
import { SideEffectLedger } from '../side-effect.ledger';
import {
  imageOf,
  type CloudGroupChange,
  type CloudGroupRolloutDriver,
  type CloudGroupTargets,
  type CloudRolloutOutcome,
} from './cloud-group-rollout.driver';
import { CloudGroupRolloutStore, type CloudGroupRolloutKey } from './cloud-group-rollout.store';

interface GroupResult extends CloudRolloutOutcome {
  readonly from: string | null;
  readonly to: string | null;
}

/**
 * Remediates assets that belong to cloud groups (Azure VM scale sets, GCP managed instance groups)
 * with the group's own rolling upgrade: the group is the unit that changes, so every asset of a
 * group in a plan shares one rollout per direction, recorded in `cloud_group_rollouts` with the
 * image the group ran before. Each asset's outcome is its group's, recorded under its own key, so a
 * failed rollout fails the wave and the workflow's rollback restores the group's previous image.
 */
export class CloudGroupRolloutExecutor implements RemediationExecutor {
  readonly name: string;
  private readonly effects: SideEffectLedger;
  private readonly rollouts: CloudGroupRolloutStore;
  /** Assets of one group in flight at once share the call that rolls it. */
  private readonly inFlight = new Map<string, Promise<GroupResult>>();

  constructor(
    dataSource: DataSource,
    private readonly driver: CloudGroupRolloutDriver,
    private readonly targets: CloudGroupTargets,
    private readonly heartbeat: (details: unknown) => void,
  ) {
    this.name = driver.name;
    this.effects = new SideEffectLedger(dataSource, driver.name);
    this.rollouts = new CloudGroupRolloutStore(dataSource);
  }

  async apply(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.effects.outcome(change);
    if (done) return done;
    const target = this.targets.resolve(change.assetId, change.organisation);
    if (target === undefined) {
      return this.effects.settle(
        change,
        'apply',
        'failed',
        null,
        null,
        `${this.name}: asset ${change.assetId} belongs to no configured group`,
      );
    }
    const key = { executor: this.name, planId: change.planId, group: target.group, action: 'apply' as const };
    const result = await this.once(key, () =>
      this.roll(key, change, {
        kind: 'image',
        image: imageOf(target, change.toVersion),
        version: change.toVersion,
      }),
    );
    return this.effects.settle(
      change,
      'apply',
      result.ok ? 'succeeded' : 'failed',
      result.from,
      result.to,
      result.detail,
    );
  }

  async revert(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.effects.outcome(change);
    if (done) return done;
    const target = this.targets.resolve(change.assetId, change.organisation);
    const applied =
      target === undefined
        ? undefined
        : await this.rollouts.get({
            executor: this.name,
            planId: change.planId,
            group: target.group,
            action: 'apply',
          });
    // A group whose model was changed is restored even when its rollout failed half-way.
    if (
      target === undefined ||
      applied?.changedAt == null ||
      applied.previousImage === null ||
      applied.previousImage.toLowerCase() === applied.targetImage.toLowerCase()
    ) {
      return this.effects.settle(change, 'revert', 'skipped', null, null, 'nothing was applied');
    }
    const previous = applied.previousImage;
    const key = {
      executor: this.name,
      planId: change.planId,
      group: target.group,
      action: 'revert' as const,
    };
    const result = await this.once(key, () => this.roll(key, change, { kind: 'restore', ref: previous }));
    return this.effects.settle(
      change,
      'revert',
      result.ok ? 'succeeded' : 'failed',
      result.from,
      result.to,
      result.detail,
    );
  }

  private once(key: CloudGroupRolloutKey, run: () => Promise<GroupResult>): Promise<GroupResult> {
    const id = `${key.planId}|${key.group}|${key.action}`;
    let pending = this.inFlight.get(id);
    if (pending === undefined) {
      pending = run().finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, pending);
    }
    return pending;
  }

  private async roll(
    key: CloudGroupRolloutKey,
    change: AssetChange,
    groupChange: CloudGroupChange,
  ): Promise<GroupResult> {
    const desired = groupChange.kind === 'image' ? groupChange.image : groupChange.ref;
    let row = await this.rollouts.get(key);
    if (row === undefined) {
      const model = await this.driver.current(key.group);
      await this.rollouts.claim(key, { image: model.ref, version: model.version }, desired);
      row = await this.rollouts.get(key);
    }
    if (row?.outcome == null) {
      const outcome = await this.driver.roll({
        group: key.group,
        change: groupChange,
        maxConcurrency: Math.max(1, change.maxConcurrency ?? 1),
        marker: row?.marker ?? null,
        markStarted: (marker) => this.rollouts.markChanged(key, marker),
        heartbeat: (details) => this.heartbeat({ group: key.group, ...(details as object) }),
      });
      const toVersion =
        groupChange.kind === 'image'
          ? groupChange.version
          : await this.driver
              .current(key.group)
              .then((m) => m.version)
              .catch(() => null);
      await this.rollouts.finish(key, outcome.ok ? 'succeeded' : 'failed', outcome.detail, toVersion);
      row = await this.rollouts.get(key);
    }
    return {
      ok: row?.outcome === 'succeeded',
      detail: row?.detail ?? '',
      from: row?.fromVersion ?? null,
      to: row?.toVersion ?? null,
    };
  }
}
