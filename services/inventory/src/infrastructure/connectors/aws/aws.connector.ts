import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type {
  ConnectionCheck,
  ConnectionTargetCheck,
  Connector,
  ConnectorScanRequest,
  RawAssetPage,
} from '../../../application/ports/connector.port';
import { InventoryError } from '../../../domain/inventory.error';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';
import { ConnectorFailure } from '../../../domain/scan/connector-failure.error';
import { parseConnectorSettings } from '../provider-call/connector-settings.parser';
import { ProviderCallRunner, type ProviderCallRunnerOptions } from '../provider-call/provider-call.runner';
import { failedCheck, scopedProblem } from '../provider-call/provider-problem';
import {
  type AwsConnectorSettings,
  type AwsConnectorSettingsInput,
  awsConnectorSettingsSchema,
  type AwsCredentials,
  type AwsCredentialsResolver,
} from './aws-connector.settings';
import { classifyAwsFailure } from './aws-failure.classifier';
import { type AmiSummary, amiSummary, instanceRecord } from './aws-instance.mapper';

export interface AwsConnectorOptions {
  readonly id: string;
  readonly settings: AwsConnectorSettingsInput;
  readonly credentials: AwsCredentialsResolver;
  /** Retry observation and jitter source; production leaves them unset. */
  readonly calls?: ProviderCallRunnerOptions;
}

interface Session {
  readonly credentials: AwsCredentials | undefined;
  /** Known once the role is assumed (from its ARN) or the first reservation is read. */
  readonly account: string | undefined;
}

/**
 * Read-only EC2 inventory of one AWS account across regions: optionally assumes a role with STS, then
 * per region lists the account's own AMIs (Owners=self) and every instance, page by page. A region
 * that keeps failing is reported as a problem of the scan and the other regions are still listed.
 */
export class AwsConnector implements Connector {
  readonly kind = 'aws';
  readonly id: string;
  private readonly settings: AwsConnectorSettings;
  private readonly calls: ProviderCallRunner;

  constructor(private readonly options: AwsConnectorOptions) {
    this.id = options.id;
    ({ settings: this.settings, calls: this.calls } = parseConnectorSettings(
      'AWS',
      awsConnectorSettingsSchema,
      classifyAwsFailure,
      options,
    ));
  }

  async *pages(request: ConnectorScanRequest): AsyncGenerator<RawAssetPage> {
    const session = await this.openSession(request.signal).catch((error: unknown) => {
      if (request.signal.aborted) throw error;
      throw new ConnectorFailure(
        error instanceof InventoryError ? error.code : 'INVENTORY.CONNECTOR_AUTH_FAILED',
        `AWS connector ${this.id}: cannot obtain credentials`,
        [scopedProblem(error, {})],
        { cause: error },
      );
    });
    for (const region of this.settings.regions) {
      try {
        yield* this.listRegion(region, session, request.signal);
      } catch (error: unknown) {
        if (request.signal.aborted) throw error;
        const problem = scopedProblem(error, {
          region,
          ...(session.account === undefined ? {} : { account: session.account }),
        });
        yield { records: [], problems: [problem] };
      }
    }
  }

  async testConnection(signal: AbortSignal): Promise<ConnectionCheck> {
    let session: Session;
    let account: string;
    try {
      session = await this.openSession(signal);
      const sts = this.stsClient(this.settings.regions[0] ?? 'us-east-1', session.credentials);
      const identity = await this.calls.call('sts:GetCallerIdentity', signal, (callSignal) =>
        sts.send(new GetCallerIdentityCommand({}), { abortSignal: callSignal }),
      );
      account = identity.Account ?? session.account ?? 'unknown';
    } catch (error: unknown) {
      if (signal.aborted) throw error;
      const check = failedCheck('sts', error);
      return { ok: false, detail: `cannot authenticate: ${check.detail}`, checks: [check] };
    }
    const checks: ConnectionTargetCheck[] = [{ target: 'sts', ok: true, detail: `account ${account}` }];
    for (const region of this.settings.regions) {
      const ec2 = this.ec2Client(region, session.credentials);
      try {
        await this.calls.call('ec2:DescribeRegions', signal, (callSignal) =>
          ec2.send(new DescribeRegionsCommand({ RegionNames: [region] }), { abortSignal: callSignal }),
        );
        checks.push({ target: region, ok: true, detail: 'EC2 reachable' });
      } catch (error: unknown) {
        if (signal.aborted) throw error;
        checks.push(failedCheck(region, error));
      } finally {
        ec2.destroy();
      }
    }
    const failed = checks.filter((c) => !c.ok).length;
    return {
      ok: failed === 0,
      detail:
        failed === 0
          ? `authenticated as account ${account}; ${this.settings.regions.length} region(s) reachable`
          : `authenticated as account ${account}; ${failed} region(s) unreachable`,
      checks,
    };
  }

  private async openSession(signal: AbortSignal): Promise<Session> {
    const base = await this.options.credentials(signal);
    const { roleArn } = this.settings;
    if (roleArn === undefined) return { credentials: base, account: undefined };
    const sts = this.stsClient(this.settings.regions[0] ?? 'us-east-1', base);
    try {
      const assumed = await this.calls.call('sts:AssumeRole', signal, (callSignal) =>
        sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: this.settings.roleSessionName,
            ...(this.settings.externalId === undefined ? {} : { ExternalId: this.settings.externalId }),
          }),
          { abortSignal: callSignal },
        ),
      );
      const c = assumed.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) {
        throw new InventoryError('INVENTORY.CONNECTOR_AUTH_FAILED', 'sts:AssumeRole returned no credentials');
      }
      return {
        credentials: {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
        },
        account: roleArn.split(':')[4],
      };
    } finally {
      sts.destroy();
    }
  }

  private async *listRegion(
    region: string,
    session: Session,
    signal: AbortSignal,
  ): AsyncGenerator<RawAssetPage> {
    const ec2 = this.ec2Client(region, session.credentials);
    try {
      const images = await this.ownedImages(ec2, region, signal);
      let nextToken: string | undefined;
      do {
        const token = nextToken;
        const page = await this.calls.call(`ec2:DescribeInstances ${region}`, signal, (callSignal) =>
          ec2.send(new DescribeInstancesCommand({ MaxResults: this.settings.pageSize, NextToken: token }), {
            abortSignal: callSignal,
          }),
        );
        const records: RawAssetRecord[] = [];
        for (const reservation of page.Reservations ?? []) {
          const account = reservation.OwnerId ?? session.account ?? '';
          for (const instance of reservation.Instances ?? []) {
            records.push(instanceRecord(instance, { account, region, images }));
          }
        }
        if (records.length > 0) yield { records };
        nextToken = page.NextToken || undefined;
      } while (nextToken !== undefined);
    } finally {
      ec2.destroy();
    }
  }

  private async ownedImages(
    ec2: EC2Client,
    region: string,
    signal: AbortSignal,
  ): Promise<Map<string, AmiSummary>> {
    const images = new Map<string, AmiSummary>();
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.calls.call(`ec2:DescribeImages ${region}`, signal, (callSignal) =>
        ec2.send(
          new DescribeImagesCommand({
            Owners: ['self'],
            MaxResults: this.settings.pageSize,
            NextToken: token,
          }),
          { abortSignal: callSignal },
        ),
      );
      for (const image of page.Images ?? []) {
        if (image.ImageId !== undefined) images.set(image.ImageId, amiSummary(image));
      }
      nextToken = page.NextToken || undefined;
    } while (nextToken !== undefined);
    return images;
  }

  // SDK retries are off (maxAttempts 1): the connector policy is the only one that retries.
  private ec2Client(region: string, credentials: AwsCredentials | undefined): EC2Client {
    return new EC2Client({
      region,
      maxAttempts: 1,
      ...(this.settings.endpoint === undefined ? {} : { endpoint: this.settings.endpoint }),
      ...(credentials === undefined ? {} : { credentials }),
    });
  }

  private stsClient(region: string, credentials: AwsCredentials | undefined): STSClient {
    return new STSClient({
      region,
      maxAttempts: 1,
      ...(this.settings.endpoint === undefined ? {} : { endpoint: this.settings.endpoint }),
      ...(credentials === undefined ? {} : { credentials }),
    });
  }
}
