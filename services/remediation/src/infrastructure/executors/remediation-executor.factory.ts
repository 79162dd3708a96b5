import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { VsphereSoapClient } from '@rf/platform-vsphere';
import type { DataSource } from 'typeorm';
import type { RemediationExecutor } from '../../application/ports/remediation-executor.port';
import type {
  AwsExecutorTarget,
  CloudGroupExecutorSettings,
  ExecutorSettings,
} from '../../remediation.config';
import { AwsAsgRefreshExecutor } from './aws-asg-refresh.executor';
import { Ec2TagResolver } from './aws-ec2-tag.resolver';
import { AwsInstanceOperationExecutor } from './aws-instance-operation.executor';
import { AwsRootVolumeOperation } from './aws-root-volume.operation';
import { AwsSsmAutomationOperation, automationParameters } from './aws-ssm-automation.operation';
import { AwsSsmCommandExecutor } from './aws-ssm-command.executor';
import { activityHeartbeat } from './cloud-group/activity-heartbeat';
import { azureExecutorCredential } from './cloud-group/azure-credential.factory';
import { AzureVmssRollingUpgradeDriver } from './cloud-group/azure-vmss-rolling-upgrade.driver';
import { organisationCloudGroupTargets } from './cloud-group/cloud-group-rollout.driver';
import { CloudGroupRolloutExecutor } from './cloud-group/cloud-group-rollout.executor';
import { GcpMigRollingUpdateDriver } from './cloud-group/gcp-mig-rolling-update.driver';
import { SimulatedFleetExecutor } from './simulated-fleet.executor';
import { VsphereCloneSwapExecutor } from './vsphere-clone-swap.executor';

/** SDK client options: the region, another endpoint when configured, the default credential chain. */
function awsClientConfig(aws: AwsExecutorTarget): { region: string; endpoint?: string } {
  return { region: aws.region, ...(aws.endpoint ? { endpoint: aws.endpoint } : {}) };
}

/** The one executor `RF_REMEDIATION_EXECUTOR` selects. */
export function createRemediationExecutor(
  settings: ExecutorSettings,
  dataSource: DataSource,
  cloud: CloudGroupExecutorSettings | null,
): RemediationExecutor {
  switch (settings.kind) {
    case 'azure-vmss':
    case 'gcp-mig': {
      if (cloud === null) throw new Error(`the ${settings.kind} executor needs its settings`);
      const targets = organisationCloudGroupTargets(cloud.targets);
      const driver =
        settings.kind === 'azure-vmss'
          ? new AzureVmssRollingUpgradeDriver(azureExecutorCredential(cloud.azure.auth), {
              ...(cloud.azure.endpoint === undefined ? {} : { endpoint: cloud.azure.endpoint }),
              pollIntervalMs: cloud.pollIntervalMs,
              timeoutMs: cloud.timeoutMs,
            })
          : new GcpMigRollingUpdateDriver({
              ...(cloud.gcp.endpoint === undefined ? {} : { endpoint: cloud.gcp.endpoint }),
              pollIntervalMs: cloud.pollIntervalMs,
              timeoutMs: cloud.timeoutMs,
              throttleRetries: { attempts: 6, baseDelayMs: 1_000, maxDelayMs: 30_000 },
            });
      return new CloudGroupRolloutExecutor(dataSource, driver, targets, activityHeartbeat);
    }
    case 'simulated':
      return new SimulatedFleetExecutor(dataSource, {
        latencyMs: settings.latencyMs,
        failureRate: settings.failureRate,
        initialVersion: 'unknown',
      });
    case 'aws-ssm-command': {
      const ec2 = new EC2Client(awsClientConfig(settings.aws));
      return new AwsSsmCommandExecutor(
        new SSMClient(awsClientConfig(settings.aws)),
        dataSource,
        new Ec2TagResolver(ec2),
        {
          documentName: settings.documentName,
          parameters: (version) =>
            automationParameters(settings.parameters, { instanceId: '', imageId: '', version }),
          pollIntervalMs: settings.pollIntervalMs,
          timeoutMs: settings.timeoutMs,
        },
      );
    }
    case 'aws-ssm-automation': {
      const resolver = new Ec2TagResolver(new EC2Client(awsClientConfig(settings.aws)));
      const operation = new AwsSsmAutomationOperation(
        new SSMClient(awsClientConfig(settings.aws)),
        resolver,
        {
          documentName: settings.documentName,
          ...(settings.documentVersion ? { documentVersion: settings.documentVersion } : {}),
          parameters: settings.parameters,
        },
      );
      return new AwsInstanceOperationExecutor(operation, resolver, dataSource, settings);
    }
    case 'aws-root-volume': {
      const ec2 = new EC2Client(awsClientConfig(settings.aws));
      const resolver = new Ec2TagResolver(ec2);
      return new AwsInstanceOperationExecutor(
        new AwsRootVolumeOperation(ec2, resolver),
        resolver,
        dataSource,
        settings,
      );
    }
    case 'aws-asg-refresh': {
      const ec2 = new EC2Client(awsClientConfig(settings.aws));
      return new AwsAsgRefreshExecutor(
        new AutoScalingClient(awsClientConfig(settings.aws)),
        ec2,
        new Ec2TagResolver(ec2),
        dataSource,
        {
          minHealthyPercentage: settings.minHealthyPercentage,
          ...(settings.instanceWarmupSeconds === undefined
            ? {}
            : { instanceWarmupSeconds: settings.instanceWarmupSeconds }),
          pollIntervalMs: settings.pollIntervalMs,
          timeoutMs: settings.timeoutMs,
        },
      );
    }
    case 'vsphere-clone-swap':
      return new VsphereCloneSwapExecutor(new VsphereSoapClient(settings.sdkUrl), dataSource, {
        username: settings.username,
        password: settings.password.reveal(),
        templateName: settings.templateName,
        pollIntervalMs: settings.pollIntervalMs,
        timeoutMs: settings.timeoutMs,
      });
  }
}
