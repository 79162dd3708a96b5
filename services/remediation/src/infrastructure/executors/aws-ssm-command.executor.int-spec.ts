import { GetCommandInvocationCommand, ListCommandsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { processEnvironment } from '@rf/platform-config';
import { EVENT_BACKBONE_MIGRATIONS } from '@rf/platform-events';
import { createDataSource, runMigrations } from '@rf/platform-persistence';
import { testDatabaseUrl } from '@rf/platform-testing';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { REMEDIATION_MIGRATIONS } from '../persistence/remediation-migrations';
import { AwsSsmCommandExecutor, commandCommentOf } from './aws-ssm-command.executor';

/** The moto server of the local stack, when it runs; without it these tests are skipped, and say so. */
const MOTO_URL = processEnvironment()['RF_MOTO_URL'] ?? 'http://127.0.0.1:15000';

function reachable(url: string): boolean {
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

const motoUp = reachable(MOTO_URL);
const describeWithMoto = motoUp ? describe : describe.skip;
if (!motoUp) process.stderr.write(`\nAWS executor tests SKIPPED: no moto server at ${MOTO_URL}\n\n`);
const title = motoUp
  ? `AwsSsmCommandExecutor against moto at ${MOTO_URL}`
  : `AwsSsmCommandExecutor (SKIPPED: no moto server at ${MOTO_URL}; set RF_MOTO_URL or start the moto stack component)`;

describeWithMoto(title, () => {
  const ssm = new SSMClient({
    endpoint: MOTO_URL,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const instanceId = `i-${randomUUID().replaceAll('-', '').slice(0, 17)}`;
  let db: DataSource;
  let executor: AwsSsmCommandExecutor;

  beforeAll(async () => {
    db = createDataSource({
      url: testDatabaseUrl('remediation'),
      service: 'remediation',
      entities: [],
      migrations: [...EVENT_BACKBONE_MIGRATIONS, ...REMEDIATION_MIGRATIONS],
    });
    await db.initialize();
    await runMigrations(db);
    executor = new AwsSsmCommandExecutor(
      ssm,
      db,
      { resolve: () => Promise.resolve({ instanceId, version: '1.0.0' }) },
      {
        documentName: 'AWS-RunShellScript',
        parameters: (version) => ({ commands: [`/usr/local/bin/rf-switch-image ${version}`] }),
        pollIntervalMs: 100,
        timeoutMs: 30_000,
      },
    );
  });

  afterAll(async () => {
    ssm.destroy();
    await db.destroy();
  });

  it('sends one command per key, records its outcome once, and reverts to the version before', async () => {
    const workflowId = `wf-${randomUUID()}`;
    const change = {
      idempotencyKey: `${workflowId}:apply:0:a`,
      planId: randomUUID(),
      assetId: randomUUID(),
      toVersion: '1.1.0',
    };
    const first = await executor.apply(change);
    const again = await executor.apply(change);
    expect(first).toMatchObject({
      outcome: 'succeeded',
      fromVersion: '1.0.0',
      toVersion: '1.1.0',
      executedNow: true,
    });
    expect(again).toMatchObject({ outcome: 'succeeded', executedNow: false });

    const listed = await ssm.send(new ListCommandsCommand({ InstanceId: instanceId }));
    const mine = (listed.Commands ?? []).filter((c) => c.Comment === commandCommentOf(change.idempotencyKey));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.Parameters).toEqual({ commands: ['/usr/local/bin/rf-switch-image 1.1.0'] });
    const invocation = await ssm.send(
      new GetCommandInvocationCommand({ CommandId: mine[0]?.CommandId, InstanceId: instanceId }),
    );
    expect(invocation.Status).toBe('Success');

    // A send whose id was lost (process died before recording it) is found again, not repeated.
    await db.query('DELETE FROM aws_ssm_commands WHERE idempotency_key = $1', [change.idempotencyKey]);
    await db.query('DELETE FROM executor_side_effects WHERE idempotency_key = $1', [change.idempotencyKey]);
    await executor.apply(change);
    const relisted = await ssm.send(new ListCommandsCommand({ InstanceId: instanceId }));
    expect(
      (relisted.Commands ?? []).filter((c) => c.Comment === commandCommentOf(change.idempotencyKey)),
    ).toHaveLength(1);

    const reverted = await executor.revert({
      idempotencyKey: `${workflowId}:revert:0:a`,
      appliedKey: change.idempotencyKey,
      planId: change.planId,
      assetId: change.assetId,
      toVersion: '',
    });
    expect(reverted).toMatchObject({ outcome: 'succeeded', fromVersion: '1.1.0', toVersion: '1.0.0' });
    const all = await ssm.send(new ListCommandsCommand({ InstanceId: instanceId }));
    expect(all.Commands?.map((c) => c.Parameters?.['commands']?.[0]).sort()).toEqual([
      '/usr/local/bin/rf-switch-image 1.0.0',
      '/usr/local/bin/rf-switch-image 1.1.0',
    ]);
  });
});
