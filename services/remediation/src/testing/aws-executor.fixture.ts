import {
  CreateImageCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { processEnvironment } from '@rf/platform-config';
import { EVENT_BACKBONE_MIGRATIONS } from '@rf/platform-events';
import { createDataSource, runMigrations } from '@rf/platform-persistence';
import { testDatabaseUrl } from '@rf/platform-testing';
import { spawnSync } from 'node:child_process';
import type { DataSource } from 'typeorm';
import { ASSET_ID_TAG, IMAGE_VERSION_TAG } from '../infrastructure/executors/aws-ec2-tag.resolver';
import { REMEDIATION_MIGRATIONS } from '../infrastructure/persistence/remediation-migrations';

/** The moto server of the local stack. */
export const MOTO_URL = processEnvironment()['RF_MOTO_URL'] ?? 'http://127.0.0.1:15000';
export const AWS_TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** Whether a TCP peer answers, decided before the suite is declared (jest needs it synchronously). */
export function reachable(url: string): boolean {
  const { hostname, port } = new URL(url);
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `require('node:net').connect(${Number(port)}, '${hostname}').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`,
    ],
    { timeout: 3_000 },
  );
  return probe.status === 0;
}

export function motoEc2(): EC2Client {
  return new EC2Client({ endpoint: MOTO_URL, region: 'us-east-1', credentials: AWS_TEST_CREDENTIALS });
}

export async function openExecutorDatabase(): Promise<DataSource> {
  const db = createDataSource({
    url: testDatabaseUrl('remediation'),
    service: 'remediation',
    entities: [],
    migrations: [...EVENT_BACKBONE_MIGRATIONS, ...REMEDIATION_MIGRATIONS],
  });
  await db.initialize();
  await runMigrations(db);
  return db;
}

/** Launches an instance of a public moto AMI tagged with the asset id. */
export async function launchTagged(
  ec2: EC2Client,
  assetId: string,
  imageId?: string,
): Promise<{ instanceId: string; imageId: string }> {
  const image =
    imageId ?? (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images?.[0]?.ImageId;
  if (!image) throw new Error('moto lists no public AMI');
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: image,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: ASSET_ID_TAG, Value: assetId }] }],
    }),
  );
  const instanceId = out.Instances?.[0]?.InstanceId;
  if (!instanceId) throw new Error('moto launched no instance');
  return { instanceId, imageId: image };
}

/** A golden AMI built from an instance and tagged with its version, as the image pipeline publishes it. */
export async function goldenImage(ec2: EC2Client, fromInstanceId: string, version: string): Promise<string> {
  const created = await ec2.send(
    new CreateImageCommand({ InstanceId: fromInstanceId, Name: `golden-${version}` }),
  );
  const imageId = created.ImageId;
  if (!imageId) throw new Error('moto created no image');
  await ec2.send(
    new CreateTagsCommand({ Resources: [imageId], Tags: [{ Key: IMAGE_VERSION_TAG, Value: version }] }),
  );
  return imageId;
}
