import {
  type AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  type InstanceRefresh,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateVersionCommand,
  DescribeLaunchTemplateVersionsCommand,
  type EC2Client,
  type LaunchTemplateVersion,
} from '@aws-sdk/client-ec2';
import type { DataSource } from 'typeorm';
import type {
  AssetChange,
  AssetChangeResult,
  RemediationExecutor,
} from '../../application/ports/remediation-executor.port';
import { RemediationError } from '../../domain/remediation.error';
import { ASSET_ID_TAG, type AwsImageCatalog } from './aws-ec2-tag.resolver';
import { executorUnavailable, pollOperation, type PollSettings } from './operation-poller';
import { keyDigest, SideEffectLedger } from './side-effect.ledger';

export interface AsgRefreshSettings extends PollSettings {
  /** The share of the group kept in service while instances are replaced. */
  readonly minHealthyPercentage: number;
  readonly instanceWarmupSeconds?: number;
}

/** What a key's refresh works on, recorded before the refresh starts. */
interface RefreshOperation {
  readonly groupName: string;
  readonly launchTemplateId: string;
  readonly fromTemplateVersion: number;
  readonly toTemplateVersion: number;
  readonly fromVersion: string;
  readonly toVersion: string;
  /** A refresh of this key started at or after this instant (ISO); older ones are someone else's. */
  readonly notBefore: string;
  readonly refreshId?: string;
  readonly refreshStartedAt?: string;
}

const RUNNING = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);

/** Whether a refresh status is final, and whether it means the group now runs the desired configuration. */
export function refreshOutcome(status: string): 'running' | 'succeeded' | 'failed' {
  if (RUNNING.has(status)) return 'running';
  return status === 'Successful' ? 'succeeded' : 'failed';
}

/** The refresh a key started: same launch template version, started no earlier than the key's operation. */
export function refreshOfKey(
  refreshes: readonly InstanceRefresh[],
  launchTemplateId: string,
  templateVersion: number,
  notBefore: Date,
): InstanceRefresh | undefined {
  return refreshes.find((r) => {
    const lt = r.DesiredConfiguration?.LaunchTemplate;
    return (
      lt?.LaunchTemplateId === launchTemplateId &&
      lt.Version === String(templateVersion) &&
      r.StartTime !== undefined &&
      r.StartTime.getTime() >= notBefore.getTime()
    );
  });
}

/**
 * Replaces an Auto Scaling group's instances with an instance refresh: a new launch template
 * version with the target AMI (found again by its description, a digest of the key), then
 * `StartInstanceRefresh` with that version as the desired configuration, which the group keeps on
 * success. The refresh is looked up before one is started, so a retried activity waits for it
 * instead of starting a second. Revert refreshes back to the launch template version before.
 */
export class AwsAsgRefreshExecutor implements RemediationExecutor {
  readonly name = 'aws-asg-refresh';
  private readonly ledger: SideEffectLedger;

  constructor(
    private readonly autoScaling: AutoScalingClient,
    private readonly ec2: EC2Client,
    private readonly images: AwsImageCatalog,
    dataSource: DataSource,
    private readonly settings: AsgRefreshSettings,
  ) {
    this.ledger = new SideEffectLedger(dataSource, this.name);
  }

  async apply(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.ledger.outcome(change);
    if (done) return done;
    const operation =
      (await this.ledger.operation<RefreshOperation>(change.idempotencyKey)) ?? (await this.prepare(change));
    const refresh = await this.refreshTo(change, operation, operation.toTemplateVersion);
    return this.ledger.settle(
      change,
      'apply',
      refreshOutcome(refresh.Status ?? '') === 'succeeded' ? 'succeeded' : 'failed',
      operation.fromVersion,
      operation.toVersion,
      describeRefresh(refresh),
    );
  }

  async revert(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.ledger.outcome(change);
    if (done) return done;
    const applied = change.appliedKey
      ? await this.ledger.operation<RefreshOperation>(change.appliedKey)
      : undefined;
    // A refresh that failed part-way leaves replaced instances behind; it is reverted too.
    if (!applied?.refreshId) {
      return this.ledger.settle(change, 'revert', 'skipped', null, null, 'no refresh was started');
    }
    const operation = (await this.ledger.operation<RefreshOperation>(change.idempotencyKey)) ?? {
      ...applied,
      fromTemplateVersion: applied.toTemplateVersion,
      toTemplateVersion: applied.fromTemplateVersion,
      fromVersion: applied.toVersion,
      toVersion: applied.fromVersion,
      notBefore: new Date(
        new Date(applied.refreshStartedAt ?? applied.notBefore).getTime() + 1,
      ).toISOString(),
      refreshId: undefined,
      refreshStartedAt: undefined,
    };
    if (!operation.refreshId) await this.ledger.saveOperation(change.idempotencyKey, operation);
    const refresh = await this.refreshTo(change, operation, operation.toTemplateVersion);
    return this.ledger.settle(
      change,
      'revert',
      refreshOutcome(refresh.Status ?? '') === 'succeeded' ? 'succeeded' : 'failed',
      operation.fromVersion,
      operation.toVersion,
      describeRefresh(refresh),
    );
  }

  /** Finds the group and its launch template, and creates (once) the version with the target AMI. */
  private async prepare(change: AssetChange): Promise<RefreshOperation> {
    const group = await this.groupOf(change.assetId);
    const marker = `rf:${keyDigest(change.idempotencyKey)}`;
    // The version this key created names the one it was made from: the group may have moved on since.
    let target = await this.versionDescribed(group.launchTemplateId, marker);
    const sourceVersion = target ? fromVersionOf(target.VersionDescription) : undefined;
    const current = await this.templateVersion(
      group.launchTemplateId,
      sourceVersion ?? group.templateVersion,
    );
    const fromVersion = current.LaunchTemplateData?.ImageId
      ? await this.images.versionOf(current.LaunchTemplateData.ImageId)
      : 'unknown';
    if (!target) {
      const imageId = await this.images.imageIdOf(change.toVersion);
      try {
        const created = await this.ec2.send(
          new CreateLaunchTemplateVersionCommand({
            LaunchTemplateId: group.launchTemplateId,
            SourceVersion: String(current.VersionNumber),
            VersionDescription: `${marker} from=${current.VersionNumber}`,
            LaunchTemplateData: { ImageId: imageId },
          }),
        );
        target = created.LaunchTemplateVersion;
      } catch (error: unknown) {
        throw executorUnavailable('EC2 did not create the launch template version', error);
      }
    }
    if (target?.VersionNumber === undefined) {
      throw new RemediationError('REMEDIATION.EXECUTOR_FAILED', 'EC2 returned no launch template version');
    }
    const operation: RefreshOperation = {
      groupName: group.name,
      launchTemplateId: group.launchTemplateId,
      fromTemplateVersion: current.VersionNumber ?? 0,
      toTemplateVersion: target.VersionNumber,
      fromVersion,
      toVersion: change.toVersion,
      notBefore: (target.CreateTime ?? new Date()).toISOString(),
    };
    await this.ledger.saveOperation(change.idempotencyKey, operation);
    return operation;
  }

  private async refreshTo(
    change: AssetChange,
    operation: RefreshOperation,
    templateVersion: number,
  ): Promise<InstanceRefresh> {
    let refreshId = operation.refreshId;
    if (!refreshId) {
      const mine = refreshOfKey(
        await this.refreshes(operation.groupName),
        operation.launchTemplateId,
        templateVersion,
        new Date(operation.notBefore),
      );
      // Taken before the start, so never later than the refresh's own start time.
      const requestedAt = new Date();
      refreshId = mine?.InstanceRefreshId ?? (await this.start(operation, templateVersion));
      await this.ledger.saveOperation(change.idempotencyKey, {
        ...operation,
        refreshId,
        refreshStartedAt: (mine?.StartTime ?? requestedAt).toISOString(),
      });
    }
    const id = refreshId;
    return pollOperation(
      `instance refresh ${id} of ${operation.groupName}`,
      () => this.refreshById(operation.groupName, id),
      (r) => refreshOutcome(r.Status ?? 'Pending') !== 'running',
      (r) => `${r.Status ?? 'Pending'} ${r.PercentageComplete ?? 0}%`,
      this.settings,
      change.onProgress,
    );
  }

  private async start(operation: RefreshOperation, templateVersion: number): Promise<string> {
    try {
      const started = await this.autoScaling.send(
        new StartInstanceRefreshCommand({
          AutoScalingGroupName: operation.groupName,
          Strategy: 'Rolling',
          DesiredConfiguration: {
            LaunchTemplate: {
              LaunchTemplateId: operation.launchTemplateId,
              Version: String(templateVersion),
            },
          },
          Preferences: {
            MinHealthyPercentage: this.settings.minHealthyPercentage,
            SkipMatching: true,
            ...(this.settings.instanceWarmupSeconds === undefined
              ? {}
              : { InstanceWarmup: this.settings.instanceWarmupSeconds }),
          },
        }),
      );
      if (!started.InstanceRefreshId) throw new Error('no instance refresh id in the answer');
      return started.InstanceRefreshId;
    } catch (error: unknown) {
      // Another refresh holds the group (one at a time per group): wait for it through a retry.
      throw executorUnavailable(`Auto Scaling did not start a refresh of ${operation.groupName}`, error);
    }
  }

  private async refreshes(groupName: string): Promise<InstanceRefresh[]> {
    const all: InstanceRefresh[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await this.autoScaling.send(
          new DescribeInstanceRefreshesCommand({
            AutoScalingGroupName: groupName,
            MaxRecords: 50,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
        all.push(...(page.InstanceRefreshes ?? []));
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error: unknown) {
      throw executorUnavailable(`Auto Scaling did not list the refreshes of ${groupName}`, error);
    }
    return all;
  }

  private async refreshById(groupName: string, refreshId: string): Promise<InstanceRefresh> {
    try {
      const page = await this.autoScaling.send(
        new DescribeInstanceRefreshesCommand({
          AutoScalingGroupName: groupName,
          InstanceRefreshIds: [refreshId],
        }),
      );
      const refresh = page.InstanceRefreshes?.[0];
      if (!refresh) throw new Error(`instance refresh ${refreshId} not found`);
      return refresh;
    } catch (error: unknown) {
      throw executorUnavailable(`Auto Scaling did not describe refresh ${refreshId}`, error);
    }
  }

  private async groupOf(
    assetId: string,
  ): Promise<{ name: string; launchTemplateId: string; templateVersion: string }> {
    let groups;
    try {
      groups = await this.autoScaling.send(
        new DescribeAutoScalingGroupsCommand({
          Filters: [{ Name: `tag:${ASSET_ID_TAG}`, Values: [assetId] }],
        }),
      );
    } catch (error: unknown) {
      throw executorUnavailable('Auto Scaling did not list the groups', error);
    }
    const group = groups.AutoScalingGroups?.[0];
    const template = group?.LaunchTemplate;
    if (!group?.AutoScalingGroupName || !template?.LaunchTemplateId) {
      throw new RemediationError(
        'REMEDIATION.EXECUTOR_FAILED',
        `no Auto Scaling group with a launch template is tagged ${ASSET_ID_TAG}=${assetId}`,
        { kind: 'not_found', metadata: { assetId } },
      );
    }
    return {
      name: group.AutoScalingGroupName,
      launchTemplateId: template.LaunchTemplateId,
      templateVersion: template.Version ?? '$Default',
    };
  }

  private async templateVersion(launchTemplateId: string, version: string): Promise<LaunchTemplateVersion> {
    try {
      const found = await this.ec2.send(
        new DescribeLaunchTemplateVersionsCommand({
          LaunchTemplateId: launchTemplateId,
          Versions: [version],
        }),
      );
      const current = found.LaunchTemplateVersions?.[0];
      if (!current) throw new Error(`launch template ${launchTemplateId} has no version ${version}`);
      return current;
    } catch (error: unknown) {
      throw executorUnavailable('EC2 did not describe the launch template', error);
    }
  }

  private async versionDescribed(
    launchTemplateId: string,
    marker: string,
  ): Promise<LaunchTemplateVersion | undefined> {
    let nextToken: string | undefined;
    try {
      do {
        const page = await this.ec2.send(
          new DescribeLaunchTemplateVersionsCommand({
            LaunchTemplateId: launchTemplateId,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
        const found = page.LaunchTemplateVersions?.find((v) =>
          v.VersionDescription?.startsWith(`${marker} `),
        );
        if (found) return found;
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error: unknown) {
      throw executorUnavailable('EC2 did not list the launch template versions', error);
    }
    return undefined;
  }
}

/** The launch template version a key's version was made from (`rf:<digest> from=<n>`). */
export function fromVersionOf(description: string | undefined): string | undefined {
  return /\sfrom=(\d+)$/u.exec(description ?? '')?.[1];
}

function describeRefresh(refresh: InstanceRefresh): string {
  const reason = refresh.StatusReason ? ` ${refresh.StatusReason}` : '';
  return `${refresh.InstanceRefreshId ?? '?'}: ${refresh.Status ?? '?'}${reason}`;
}
