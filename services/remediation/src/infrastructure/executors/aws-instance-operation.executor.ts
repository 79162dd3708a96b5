import type { DataSource } from 'typeorm';
import type {
  AssetChange,
  AssetChangeResult,
  RemediationExecutor,
} from '../../application/ports/remediation-executor.port';
import type { AwsAssetResolver } from './aws-ec2-tag.resolver';
import { pollOperation, type PollSettings } from './operation-poller';
import { keyDigest, SideEffectLedger } from './side-effect.ledger';

export interface InstanceOperationStatus {
  readonly state: 'running' | 'succeeded' | 'failed';
  readonly detail: string;
}

/** One long-running AWS operation that moves an instance to an image version. */
export interface InstanceOperation {
  readonly name: string;
  /**
   * Starts the operation, or finds the one already started with this token (a digest of the key,
   * carried as the API's client token or a tag), and returns its id.
   */
  startOnce(token: string, instanceId: string, version: string): Promise<string>;
  status(operationId: string, instanceId: string): Promise<InstanceOperationStatus>;
}

interface InstanceOperationRecord {
  readonly instanceId: string;
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly operationId?: string;
}

/**
 * Runs an `InstanceOperation` per asset: the instance and its version are resolved once and the
 * operation id recorded under the key before it is awaited, so a retry waits for the same
 * operation; revert runs the operation again towards the version before the apply.
 */
export class AwsInstanceOperationExecutor implements RemediationExecutor {
  readonly name: string;
  private readonly ledger: SideEffectLedger;

  constructor(
    private readonly operation: InstanceOperation,
    private readonly resolver: AwsAssetResolver,
    dataSource: DataSource,
    private readonly settings: PollSettings,
  ) {
    this.name = operation.name;
    this.ledger = new SideEffectLedger(dataSource, operation.name);
  }

  async apply(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.ledger.outcome(change);
    if (done) return done;
    let record = await this.ledger.operation<InstanceOperationRecord>(change.idempotencyKey);
    if (!record) {
      const target = await this.resolver.resolve(change.assetId);
      record = { instanceId: target.instanceId, fromVersion: target.version, toVersion: change.toVersion };
      await this.ledger.saveOperation(change.idempotencyKey, record);
    }
    return this.run(change, 'apply', record);
  }

  async revert(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.ledger.outcome(change);
    if (done) return done;
    const applied = await this.ledger.applied(change.appliedKey);
    if (applied?.outcome !== 'succeeded' || !applied.fromVersion || !applied.toVersion) {
      return this.ledger.settle(change, 'revert', 'skipped', null, null, 'nothing was applied');
    }
    let record = await this.ledger.operation<InstanceOperationRecord>(change.idempotencyKey);
    if (!record) {
      const before = change.appliedKey
        ? await this.ledger.operation<InstanceOperationRecord>(change.appliedKey)
        : undefined;
      const instanceId = before?.instanceId ?? (await this.resolver.resolve(change.assetId)).instanceId;
      record = { instanceId, fromVersion: applied.toVersion, toVersion: applied.fromVersion };
      await this.ledger.saveOperation(change.idempotencyKey, record);
    }
    return this.run(change, 'revert', record);
  }

  private async run(
    change: AssetChange,
    action: 'apply' | 'revert',
    record: InstanceOperationRecord,
  ): Promise<AssetChangeResult> {
    let operationId = record.operationId;
    if (!operationId) {
      operationId = await this.operation.startOnce(
        `rf-${keyDigest(change.idempotencyKey)}`,
        record.instanceId,
        record.toVersion,
      );
      await this.ledger.saveOperation(change.idempotencyKey, { ...record, operationId });
    }
    const id = operationId;
    const status = await pollOperation(
      `${this.operation.name} ${id} on ${record.instanceId}`,
      () => this.operation.status(id, record.instanceId),
      (s) => s.state !== 'running',
      (s) => s.detail,
      this.settings,
      change.onProgress,
    );
    return this.ledger.settle(
      change,
      action,
      status.state === 'succeeded' ? 'succeeded' : 'failed',
      record.fromVersion,
      record.toVersion,
      `${id}: ${status.detail}`,
    );
  }
}
