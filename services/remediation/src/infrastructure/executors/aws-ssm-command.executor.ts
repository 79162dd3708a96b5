import {
  GetCommandInvocationCommand,
  ListCommandsCommand,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { DataSource } from 'typeorm';
import type {
  AssetChange,
  AssetChangeResult,
  RemediationExecutor,
} from '../../application/ports/remediation-executor.port';
import { RemediationError } from '../../domain/remediation.error';
import type { AwsAssetResolver } from './aws-ec2-tag.resolver';
import { keyDigest, SideEffectLedger } from './side-effect.ledger';

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
  return `rf:${keyDigest(key)}`;
}

/**
 * Changes an EC2 instance with SSM Run Command. The command id is recorded under the idempotency key
 * once sent, so a retry waits for that command instead of sending another; should the process die
 * between sending and recording, the retry finds the command by its comment before sending again.
 */
export class AwsSsmCommandExecutor implements RemediationExecutor {
  readonly name = 'aws-ssm-command';
  private readonly effects: SideEffectLedger;

  constructor(
    private readonly ssm: SSMClient,
    private readonly dataSource: DataSource,
    private readonly resolver: AwsAssetResolver,
    private readonly settings: AwsSsmCommandSettings,
  ) {
    this.effects = new SideEffectLedger(dataSource, this.name);
  }

  async apply(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.effects.outcome(change);
    if (done) return done;
    const target = await this.resolver.resolve(change.assetId);
    return this.run(change, 'apply', target.instanceId, target.version, change.toVersion);
  }

  async revert(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.effects.outcome(change);
    if (done) return done;
    const applied = await this.effects.applied(change.appliedKey);
    if (applied?.outcome !== 'succeeded' || !applied.fromVersion) {
      return this.effects.settle(change, 'revert', 'skipped', null, null, 'nothing was applied');
    }
    const target = await this.resolver.resolve(change.assetId);
    return this.run(change, 'revert', target.instanceId, applied.toVersion, applied.fromVersion);
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
        return this.effects.settle(change, action, ok ? 'succeeded' : 'failed', from, to, detail);
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
