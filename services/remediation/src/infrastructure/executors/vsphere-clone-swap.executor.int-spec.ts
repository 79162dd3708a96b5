import { processEnvironment } from '@rf/platform-config';
import {
  escapeXml,
  type MoRef,
  moRefOfType,
  moRefXml,
  textOf,
  VsphereSoapClient,
} from '@rf/platform-vsphere';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openExecutorDatabase, reachable } from '../../testing/aws-executor.fixture';
import {
  ASSET_KEY,
  extraConfigOf,
  swapNames,
  TEMPLATE_KEY,
  VsphereCloneSwapExecutor,
} from './vsphere-clone-swap.executor';

// vcsim of the local stack: govmomi's vCenter simulator (default VPX model).
const env = processEnvironment();
const VCSIM = env['RF_VCSIM_URL'] ?? 'http://127.0.0.1:18989';
const USERNAME = env['RF_VCSIM_USERNAME'] ?? 'user';
const PASSWORD = env['RF_VCSIM_PASSWORD'] ?? 'pass';
const vcsimUp = reachable(VCSIM);
if (!vcsimUp) process.stderr.write(`\nvSphere executor tests SKIPPED: no vcsim at ${VCSIM}\n\n`);
const describeWithVcsim = vcsimUp ? describe : describe.skip;
const never = () => new AbortController().signal;
const TASKS = { pollIntervalMs: 20, timeoutMs: 30_000 };

describeWithVcsim(`VsphereCloneSwapExecutor against vcsim at ${VCSIM}`, () => {
  const soap = new VsphereSoapClient(`${VCSIM}/sdk`);
  const run = randomUUID().slice(0, 8);
  const v1 = `1.0-${run}`;
  const v2 = `2.0-${run}`;
  const created: MoRef[] = [];
  let db: DataSource;
  let executor: VsphereCloneSwapExecutor;
  let source: MoRef;

  const vmProps = async (ref: MoRef) => {
    const props = await soap.retrieveObject(
      ref,
      ['name', 'runtime.powerState', 'config.extraConfig'],
      never(),
    );
    return props
      ? {
          name: textOf(props.get('name')),
          powerState: textOf(props.get('runtime.powerState')),
          extra: extraConfigOf(props.get('config.extraConfig')),
        }
      : undefined;
  };
  const byName = async (name: string) =>
    (await soap.listObjects('VirtualMachine', ['name'], never())).find(
      (o) => textOf(o.props.get('name')) === name,
    )?.obj;

  /** A copy of a model VM next to it, powered as asked, carrying the given extraConfig. */
  async function copyOf(name: string, extra: Record<string, string>, powerOn: boolean): Promise<MoRef> {
    const props = await soap.retrieveObject(source, ['parent', 'resourcePool'], never());
    const folder = moRefOfType(props?.get('parent'), 'Folder');
    const pool = moRefOfType(props?.get('resourcePool'), 'ResourcePool');
    if (!folder || !pool) throw new Error('the model VM has no folder or pool');
    const config = Object.entries(extra)
      .map(
        ([k, v]) =>
          `<extraConfig><key>${k}</key><value xsi:type="xsd:string">${escapeXml(v)}</value></extraConfig>`,
      )
      .join('');
    const result = await soap.runTask(
      'CloneVM_Task',
      `${moRefXml('_this', source)}${moRefXml('folder', folder)}<name>${name}</name>` +
        `<spec><location>${moRefXml('pool', pool)}</location>` +
        `<template>false</template><config>${config}</config><powerOn>${powerOn}</powerOn></spec>`,
      TASKS,
      never(),
    );
    const ref = moRefOfType(result, 'VirtualMachine') ?? (await byName(name));
    if (!ref) throw new Error(`vcsim did not clone ${name}`);
    created.push(ref);
    await soap.runTask('ReconfigVM_Task', `${moRefXml('_this', ref)}<spec>${config}</spec>`, TASKS, never());
    if (powerOn && (await vmProps(ref))?.powerState !== 'poweredOn') {
      await soap.runTask('PowerOnVM_Task', moRefXml('_this', ref), TASKS, never());
    }
    return ref;
  }

  beforeAll(async () => {
    await soap.login(USERNAME, PASSWORD, never());
    const model = await byName('DC0_H0_VM0');
    if (!model) throw new Error('vcsim has no DC0_H0_VM0');
    source = model;
    const template = await copyOf(`golden-${v2}`, { [TEMPLATE_KEY]: v2 }, false);
    await soap.invoke('MarkAsTemplate', moRefXml('_this', template), never());
    db = await openExecutorDatabase();
    executor = new VsphereCloneSwapExecutor(new VsphereSoapClient(`${VCSIM}/sdk`), db, {
      username: USERNAME,
      password: PASSWORD,
      templateName: 'golden-{version}',
      ...TASKS,
    });
  });

  afterAll(async () => {
    for (const ref of created) {
      const state = await vmProps(ref);
      if (!state) continue;
      if (state.powerState === 'poweredOn')
        await soap.runTask('PowerOffVM_Task', moRefXml('_this', ref), TASKS, never());
      await soap.runTask('Destroy_Task', moRefXml('_this', ref), TASKS, never());
    }
    await soap.logout(never());
    await db.destroy();
  });

  it('swaps the VM for a clone of the target template once per key, and reverts to the old VM', async () => {
    const assetId = randomUUID();
    const name = `app-${run}-a`;
    const old = await copyOf(name, { [ASSET_KEY]: assetId, [TEMPLATE_KEY]: v1 }, true);
    const workflowId = `wf-${randomUUID()}`;
    const apply = {
      idempotencyKey: `${workflowId}:apply:0:${assetId}`,
      planId: randomUUID(),
      assetId,
      toVersion: v2,
    };
    const { cloneName, retiredName } = swapNames(name, apply.idempotencyKey);

    const result = await executor.apply(apply);
    expect(result).toMatchObject({ outcome: 'succeeded', fromVersion: v1, toVersion: v2, executedNow: true });
    const current = await byName(name);
    if (current) created.push(current);
    expect(current).toBeDefined();
    expect(current?.value).not.toBe(old.value);
    const fresh = await vmProps(current as MoRef);
    expect(fresh).toMatchObject({ powerState: 'poweredOn' });
    expect(fresh?.extra.get(ASSET_KEY)).toBe(assetId);
    expect(fresh?.extra.get(TEMPLATE_KEY)).toBe(v2);
    const retired = await vmProps(old);
    expect(retired).toMatchObject({ name: retiredName, powerState: 'poweredOff' });
    expect(retired?.extra.get(ASSET_KEY) ?? '').toBe('');
    expect(await byName(cloneName)).toBeUndefined();

    // Retried after its outcome was lost: every step finds its work done, nothing is cloned again.
    const vmCount = (await soap.listObjects('VirtualMachine', ['name'], never())).length;
    await db.query('DELETE FROM executor_side_effects WHERE idempotency_key = $1', [apply.idempotencyKey]);
    expect(await executor.apply(apply)).toMatchObject({ outcome: 'succeeded', executedNow: true });
    expect(await executor.apply(apply)).toMatchObject({ executedNow: false });
    expect((await soap.listObjects('VirtualMachine', ['name'], never())).length).toBe(vmCount);

    const revert = {
      idempotencyKey: `${workflowId}:revert:0:${assetId}`,
      appliedKey: apply.idempotencyKey,
      planId: apply.planId,
      assetId,
      toVersion: '',
    };
    expect(await executor.revert(revert)).toMatchObject({
      outcome: 'succeeded',
      fromVersion: v2,
      toVersion: v1,
    });
    expect(await executor.revert(revert)).toMatchObject({ executedNow: false });
    expect(await vmProps(current as MoRef)).toBeUndefined();
    const restored = await vmProps(old);
    expect(restored).toMatchObject({ name, powerState: 'poweredOn' });
    expect(restored?.extra.get(ASSET_KEY)).toBe(assetId);
  });

  it('reports an asset whose target template does not exist as failed, leaving the VM as it was', async () => {
    const assetId = randomUUID();
    const name = `app-${run}-b`;
    const old = await copyOf(name, { [ASSET_KEY]: assetId, [TEMPLATE_KEY]: v1 }, true);
    const apply = {
      idempotencyKey: `wf-${randomUUID()}:apply:0:${assetId}`,
      planId: randomUUID(),
      assetId,
      toVersion: `9.9-${run}`,
    };
    const result = await executor.apply(apply);
    expect(result).toMatchObject({ outcome: 'failed', fromVersion: v1 });
    expect(result.detail).toContain(`no template named golden-9.9-${run}`);
    expect(await vmProps(old)).toMatchObject({ name, powerState: 'poweredOn' });
  });
});
