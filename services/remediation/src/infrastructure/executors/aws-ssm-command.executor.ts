import {
  GetCommandInvocationCommand,
  ListCommandsCommand,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type {
  AssetChange,
  AssetChangeResult,
  RemediationExecutor,
} from '../../application/ports/remediation-executor.port';
import { RemediationError } from '../../domain/remediation.error';
import type { AwsAssetResolver } from './aws-ec2-tag.resolver';

export interface AwsSsmCommandSettings {
  /** SSM document run on the instance, e.g. a root-volume replacement from the golden image. */
  readonly documentName: string;
  /** The document's parameters for a target version. */
  readonly parameters: (version: string) => Record<string, string[]>;
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
}

const SUCCESS = new Set(['Success']);
const FAILURE = new Set(['Cancelled', 'TimedOut', 'Failed']);

/** The command's comment carries a digest of the idempotency key, so a lost send can be found again. */
export function commandCommentOf(key: string): string {
  return `rf:${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/**
 * Changes an EC2 instance with SSM Run Command. The command id is recorded under the idempotency key
 * once sent, so a retry waits for that command instead of sending another; should the process die
 * between sending and recording, the retry finds the command by its comment before sending again.
 */
export class AwsSsmCommandExecutor implements RemediationExecutor {
  readonly name = 'aws-ssm-command';

  constructor(
    private readonly ssm: SSMClient,
    private readonly dataSource: DataSource,
    private readonly resolver: AwsAssetResolver,
    private readonly settings: AwsSsmCommandSettings,
  ) {}

  async apply(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.recorded(change.idempotencyKey, change.assetId, false);
    if (done) return done;
    const target = await this.resolver.resolve(change.assetId);
    return this.run(change, 'apply', target.instanceId, target.version, change.toVersion);
  }

  async revert(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.recorded(change.idempotencyKey, change.assetId, false);
    if (done) return done;
    const [applied] = change.appliedKey
      ? await this.dataSource.query<
          { outcome: string; from_version: string | null; to_version: string | null }[]
        >('SELECT outcome, from_version, to_version FROM executor_side_effects WHERE idempotency_key = $1', [
          change.appliedKey,
        ])
      : [];
    if (applied?.outcome !== 'succeeded' || !applied.from_version) {
      const mine = await this.record(change, 'revert', null, null, 'skipped', 'nothing was applied');
      return this.mustRead(change, mine);
    }
    const target = await this.resolver.resolve(change.assetId);
    return this.run(change, 'revert', target.instanceId, applied.to_version, applied.from_version);
  }

  private async run(
    change: AssetChange,
    action: 'apply' | 'revert',
    instanceId: string,
    from: string | null,
    to: string,
  ): Promise<AssetChangeResult> {
    const commandId = await this.sendOnce(change.idempotencyKey, instanceId, to);
    const deadline = Date.now() + this.settings.timeoutMs;
    for (;;) {
      const status = await this.invocationStatus(commandId, instanceId);
      if (SUCCESS.has(status.name) || FAILURE.has(status.name)) {
        const ok = SUCCESS.has(status.name);
        const detail = `${commandId}: ${status.name}${status.detail ? ` ${status.detail}` : ''}`;
        const mine = await this.record(change, action, from, to, ok ? 'succeeded' : 'failed', detail);
        return this.mustRead(change, mine);
      }
      if (Date.now() > deadline) {
        throw new RemediationError(
          'REMEDIATION.EXECUTOR_FAILED',
          `command ${commandId} still ${status.name}`,
          {
            kind: 'unavailable',
            retriable: true,
            metadata: { commandId, status: status.name },
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.settings.pollIntervalMs));
    }
  }

  private async invocationStatus(
    commandId: string,
    instanceId: string,
  ): Promise<{ name: string; detail?: string }> {
    try {
      const res = await this.ssm.send(
        new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
      );
      return { name: res.Status ?? 'Pending', ...(res.StatusDetails ? { detail: res.StatusDetails } : {}) };
    } catch (error: unknown) {
      // Right after sending, the invocation may not exist yet.
      if (error instanceof Error && error.name === 'InvocationDoesNotExist') return { name: 'Pending' };
      throw unavailable('reading the command failed', error);
    }
  }

  private async sendOnce(key: string, instanceId: string, version: string): Promise<string> {
    const [known] = await this.dataSource.query<{ command_id: string }[]>(
      'SELECT command_id FROM aws_ssm_commands WHERE idempotency_key = $1',
      [key],
    );
    if (known) return known.command_id;
    const comment = commandCommentOf(key);
    let commandId: string | undefined;
    try {
      const listed = await this.ssm.send(new ListCommandsCommand({ InstanceId: instanceId }));
      commandId = listed.Commands?.find((c) => c.Comment === comment)?.CommandId;
      if (!commandId) {
        const sent = await this.ssm.send(
          new SendCommandCommand({
            DocumentName: this.settings.documentName,
            InstanceIds: [instanceId],
            Parameters: this.settings.parameters(version),
            Comment: comment,
          }),
        );
        commandId = sent.Command?.CommandId;
      }
    } catch (error: unknown) {
      throw unavailable('SSM refused the command', error);
    }
    if (!commandId) throw new RemediationError('REMEDIATION.EXECUTOR_FAILED', 'SSM returned no command id');
    await this.dataSource.query(
      `INSERT INTO aws_ssm_commands (idempotency_key, command_id, instance_id, sent_at)
       VALUES ($1, $2, $3, now()) ON CONFLICT (idempotency_key) DO NOTHING`,
      [key, commandId, instanceId],
    );
    return commandId;
  }

  private async record(
    change: AssetChange,
    action: 'apply' | 'revert',
    from: string | null,
    to: string | null,
    outcome: AssetChangeResult['outcome'],
    detail: string,
  ): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `INSERT INTO executor_side_effects (idempotency_key, executor, plan_id, asset_id, action, from_version,
         to_version, outcome, detail, executed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now()) ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING idempotency_key`,
      [change.idempotencyKey, this.name, change.planId, change.assetId, action, from, to, outcome, detail],
    );
    return rows.length > 0;
  }

  private async mustRead(change: AssetChange, executedNow: boolean): Promise<AssetChangeResult> {
    const result = await this.recorded(change.idempotencyKey, change.assetId, executedNow);
    if (!result) throw new Error(`side effect ${change.idempotencyKey} is not recorded`);
    return result;
  }

  private async recorded(
    key: string,
    assetId: string,
    executedNow: boolean,
  ): Promise<AssetChangeResult | undefined> {
    const [row] = await this.dataSource.query<
      {
        outcome: AssetChangeResult['outcome'];
        from_version: string | null;
        to_version: string | null;
        detail: string | null;
      }[]
    >(
      'SELECT outcome, from_version, to_version, detail FROM executor_side_effects WHERE idempotency_key = $1',
      [key],
    );
    if (!row) return undefined;
    return {
      assetId,
      outcome: row.outcome,
      fromVersion: row.from_version,
      toVersion: row.to_version,
      ...(row.detail ? { detail: row.detail } : {}),
      executedNow,
    };
  }
}

function unavailable(what: string, error: unknown): RemediationError {
  return new RemediationError(
    'REMEDIATION.EXECUTOR_FAILED',
    `${what}: ${error instanceof Error ? error.message : String(error)}`,
    {
      kind: 'unavailable',
      retriable: true,
      cause: error,
    },
  );
}
