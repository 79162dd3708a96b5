import {
  type AutomationExecutionMetadata,
  DescribeAutomationExecutionsCommand,
  GetAutomationExecutionCommand,
  type SSMClient,
  StartAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';
import type { AwsImageCatalog } from './aws-ec2-tag.resolver';
import type { InstanceOperation, InstanceOperationStatus } from './aws-instance-operation.executor';
import { executorUnavailable } from './operation-poller';
import { keyUuid } from './side-effect.ledger';

export interface SsmAutomationSettings {
  readonly documentName: string;
  readonly documentVersion?: string;
  /**
   * The document's parameters; `{instanceId}`, `{imageId}` and `{version}` in a value are replaced
   * with the asset's instance, the target AMI and the target version.
   */
  readonly parameters: Readonly<Record<string, readonly string[]>>;
}

const SUCCEEDED = new Set(['Success', 'CompletedWithSuccess']);
const FAILED = new Set([
  'Failed',
  'TimedOut',
  'Cancelled',
  'Rejected',
  'CompletedWithFailure',
  'Exited',
  'ChangeCalendarOverrideRejected',
]);

/** Each key's execution carries a tag whose key names it, which `DescribeAutomationExecutions` filters on. */
export function operationTagKey(token: string): string {
  return `rf:op:${token}`;
}

export function automationState(status: string | undefined): InstanceOperationStatus['state'] {
  if (status !== undefined && SUCCEEDED.has(status)) return 'succeeded';
  if (status !== undefined && FAILED.has(status)) return 'failed';
  return 'running';
}

/** The document parameters for one instance and version. */
export function automationParameters(
  template: SsmAutomationSettings['parameters'],
  values: { readonly instanceId: string; readonly imageId: string; readonly version: string },
): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(template).map(([name, list]) => [
      name,
      list.map((v) =>
        v
          .replaceAll('{instanceId}', values.instanceId)
          .replaceAll('{imageId}', values.imageId)
          .replaceAll('{version}', values.version),
      ),
    ]),
  );
}

/**
 * Runs an SSM Automation runbook per instance (`StartAutomationExecution`, polled with
 * `GetAutomationExecution`). The client token is a UUID derived from the key, so a start repeated
 * after a lost answer returns the same execution; the execution is also tagged with the key's digest
 * and found again by it.
 */
export class AwsSsmAutomationOperation implements InstanceOperation {
  readonly name = 'aws-ssm-automation';

  constructor(
    private readonly ssm: SSMClient,
    private readonly images: AwsImageCatalog,
    private readonly settings: SsmAutomationSettings,
  ) {}

  async startOnce(token: string, instanceId: string, version: string): Promise<string> {
    const known = await this.executionTagged(token);
    if (known?.AutomationExecutionId) return known.AutomationExecutionId;
    const usesImage = Object.values(this.settings.parameters).some((l) =>
      l.some((v) => v.includes('{imageId}')),
    );
    const imageId = usesImage ? await this.images.imageIdOf(version) : '';
    try {
      const started = await this.ssm.send(
        new StartAutomationExecutionCommand({
          DocumentName: this.settings.documentName,
          ...(this.settings.documentVersion ? { DocumentVersion: this.settings.documentVersion } : {}),
          Parameters: automationParameters(this.settings.parameters, { instanceId, imageId, version }),
          ClientToken: keyUuid(token),
          Tags: [{ Key: operationTagKey(token), Value: 'rf' }],
        }),
      );
      if (!started.AutomationExecutionId) throw new Error('no automation execution id in the answer');
      return started.AutomationExecutionId;
    } catch (error: unknown) {
      throw executorUnavailable(`SSM did not start ${this.settings.documentName} on ${instanceId}`, error);
    }
  }

  async status(executionId: string): Promise<InstanceOperationStatus> {
    try {
      const got = await this.ssm.send(
        new GetAutomationExecutionCommand({ AutomationExecutionId: executionId }),
      );
      const execution = got.AutomationExecution;
      const status = execution?.AutomationExecutionStatus ?? 'Pending';
      const failure = execution?.FailureMessage ? ` ${execution.FailureMessage}` : '';
      return { state: automationState(status), detail: `${status}${failure}` };
    } catch (error: unknown) {
      throw executorUnavailable(`SSM did not describe automation ${executionId}`, error);
    }
  }

  /** An execution started for this token before, found page by page through its tag. */
  private async executionTagged(token: string): Promise<AutomationExecutionMetadata | undefined> {
    let nextToken: string | undefined;
    try {
      do {
        const page = await this.ssm.send(
          new DescribeAutomationExecutionsCommand({
            Filters: [{ Key: 'TagKey', Values: [operationTagKey(token)] }],
            MaxResults: 50,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
        const found = page.AutomationExecutionMetadataList?.find(
          (e) => e.AutomationExecutionId !== undefined && e.DocumentName === this.settings.documentName,
        );
        if (found) return found;
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error: unknown) {
      throw executorUnavailable('SSM did not list the automation executions', error);
    }
    return undefined;
  }
}
