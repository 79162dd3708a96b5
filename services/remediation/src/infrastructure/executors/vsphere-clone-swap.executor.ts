import {
  child,
  children,
  escapeXml,
  type MoRef,
  moRefOfType,
  moRefXml,
  textOf,
  VsphereCallError,
  type VsphereSoapClient,
  type XmlValue,
} from '@rf/platform-vsphere';
import type { DataSource } from 'typeorm';
import type {
  AssetChange,
  AssetChangeResult,
  RemediationExecutor,
} from '../../application/ports/remediation-executor.port';
import { RemediationError } from '../../domain/remediation.error';
import { executorUnavailable, pollOperation, type PollSettings } from './operation-poller';
import { keyDigest, SideEffectLedger } from './side-effect.ledger';

export interface VsphereCloneSwapSettings extends PollSettings {
  readonly username: string;
  readonly password: string;
  /** The template a version is cloned from; `{version}` is replaced, e.g. `rhel9-golden-{version}`. */
  readonly templateName: string;
}

/** The extraConfig keys that name a VM's asset and the template (version) it was built from. */
export const ASSET_KEY = 'rf.asset-id';
export const TEMPLATE_KEY = 'rf.template';

interface VmState {
  readonly ref: MoRef;
  readonly name: string;
  readonly powerState: string;
  readonly extraConfig: ReadonlyMap<string, string>;
}

/** What a key's swap works on, recorded before the first change. */
interface SwapOperation {
  readonly vm: MoRef;
  readonly name: string;
  readonly powerState: string;
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly cloneName: string;
  readonly retiredName: string;
  readonly clone?: MoRef;
}

const VM_PATHS = [
  'name',
  'runtime.powerState',
  'config.template',
  'config.extraConfig',
  'parent',
  'resourcePool',
];

/** The names a key's clone and the VM it replaces carry until (and after) the swap. */
export function swapNames(name: string, key: string): { cloneName: string; retiredName: string } {
  const digest = keyDigest(key, 8);
  return { cloneName: `${name}-rf-${digest}`, retiredName: `${name}-rf-old-${digest}` };
}

export function extraConfigOf(value: XmlValue): Map<string, string> {
  const out = new Map<string, string>();
  for (const option of children(value, 'OptionValue')) {
    const key = textOf(child(option, 'key'));
    if (key !== undefined) out.set(key, textOf(child(option, 'value')) ?? '');
  }
  return out;
}

function extraConfigXml(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(
      ([k, v]) =>
        `<extraConfig><key>${escapeXml(k)}</key><value xsi:type="xsd:string">${escapeXml(v)}</value></extraConfig>`,
    )
    .join('');
}

/**
 * Replaces a vSphere VM by a clone of the target template, with the vSphere Web Services (SOAP) API:
 * `CloneVM_Task` next to the VM, power the clone on, then swap: power the old VM off, rename it
 * aside (kept for rollback) and give the clone the VM's name and asset id. Every step reads the
 * current state first, and the clone's name carries a digest of the key, so a retried activity
 * continues where the last attempt stopped. Revert destroys the clone and restores the old VM's
 * name, asset id and power state.
 */
export class VsphereCloneSwapExecutor implements RemediationExecutor {
  readonly name = 'vsphere-clone-swap';
  private readonly ledger: SideEffectLedger;
  private loggedIn = false;

  constructor(
    private readonly soap: VsphereSoapClient,
    dataSource: DataSource,
    private readonly settings: VsphereCloneSwapSettings,
  ) {
    this.ledger = new SideEffectLedger(dataSource, this.name);
  }

  async apply(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.ledger.outcome(change);
    if (done) return done;
    const op = await this.vsphere('preparing the swap', async (signal) => {
      const known = await this.ledger.operation<SwapOperation>(change.idempotencyKey);
      if (known) return known;
      const vm = await this.vmOfAsset(change.assetId, signal);
      const prepared: SwapOperation = {
        vm: vm.ref,
        name: vm.name,
        powerState: vm.powerState,
        fromVersion: vm.extraConfig.get(TEMPLATE_KEY) || 'unknown',
        toVersion: change.toVersion,
        ...swapNames(vm.name, change.idempotencyKey),
      };
      await this.ledger.saveOperation(change.idempotencyKey, prepared);
      return prepared;
    });
    try {
      const clone = await this.vsphere('cloning', (signal) => this.cloneOnce(change, op, signal));
      await this.vsphere('powering the clone on', (signal) => this.powerOn(clone, signal));
      await pollOperation(
        `clone ${op.cloneName}`,
        () => this.vsphere('reading the clone', (signal) => this.vm(clone, signal)),
        (vm) => vm?.powerState === 'poweredOn',
        (vm) => vm?.powerState ?? 'gone',
        this.settings,
        change.onProgress,
      );
      await this.vsphere('swapping', (signal) => this.swap(change, op, clone, signal));
    } catch (error: unknown) {
      if (error instanceof VsphereCallError) {
        return this.ledger.settle(change, 'apply', 'failed', op.fromVersion, op.toVersion, error.message);
      }
      throw error;
    }
    return this.ledger.settle(
      change,
      'apply',
      'succeeded',
      op.fromVersion,
      op.toVersion,
      `${op.name} now runs ${op.cloneName}; the old VM is kept as ${op.retiredName}`,
    );
  }

  async revert(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.ledger.outcome(change);
    if (done) return done;
    const op = change.appliedKey ? await this.ledger.operation<SwapOperation>(change.appliedKey) : undefined;
    if (!op) return this.ledger.settle(change, 'revert', 'skipped', null, null, 'nothing was applied');
    await this.vsphere('reverting the swap', async (signal) => {
      const clone = op.clone ?? (await this.vmNamed(op.cloneName, signal))?.ref;
      if (clone) {
        const current = await this.vm(clone, signal);
        if (current?.powerState === 'poweredOn')
          await this.task('PowerOffVM_Task', moRefXml('_this', clone), signal);
        if (current) await this.task('Destroy_Task', moRefXml('_this', clone), signal);
      }
      const old = await this.vm(op.vm, signal);
      if (!old)
        throw new VsphereCallError('revert', 200, 'ManagedObjectNotFound', `${op.name} no longer exists`);
      if (old.name !== op.name) await this.rename(op.vm, op.name, signal);
      if (old.extraConfig.get(ASSET_KEY) !== change.assetId) {
        await this.reconfigure(op.vm, { [ASSET_KEY]: change.assetId }, signal);
      }
      if (op.powerState === 'poweredOn' && old.powerState !== 'poweredOn') await this.powerOn(op.vm, signal);
    });
    return this.ledger.settle(
      change,
      'revert',
      'succeeded',
      op.toVersion,
      op.fromVersion,
      `${op.name} restored; clone ${op.cloneName} destroyed`,
    );
  }

  private async cloneOnce(change: AssetChange, op: SwapOperation, signal: AbortSignal): Promise<MoRef> {
    if (op.clone && (await this.vm(op.clone, signal))) return op.clone;
    const existing = await this.vmNamed(op.cloneName, signal);
    let clone = existing?.ref;
    if (!clone) {
      const templateName = this.settings.templateName.replaceAll('{version}', op.toVersion);
      const template = (await this.vms(signal)).find((v) => v.name === templateName && v.template);
      if (!template) {
        throw new VsphereCallError('CloneVM_Task', 200, 'NotFound', `no template named ${templateName}`);
      }
      const original = await this.soap.retrieveObject(op.vm, ['parent', 'resourcePool'], signal);
      const folder = moRefOfType(original?.get('parent'), 'Folder');
      const pool = moRefOfType(original?.get('resourcePool'), 'ResourcePool');
      if (!folder || !pool) {
        throw new VsphereCallError('CloneVM_Task', 200, 'NotFound', `${op.name} has no folder or pool`);
      }
      const result = await this.soap.runTask(
        'CloneVM_Task',
        `${moRefXml('_this', template.ref)}${moRefXml('folder', folder)}<name>${escapeXml(op.cloneName)}</name>` +
          `<spec><location>${moRefXml('pool', pool)}</location><template>false</template>` +
          `<config>${extraConfigXml({ [TEMPLATE_KEY]: op.toVersion })}</config><powerOn>false</powerOn></spec>`,
        this.settings,
        signal,
      );
      clone = moRefOfType(result, 'VirtualMachine') ?? (await this.vmNamed(op.cloneName, signal))?.ref;
      if (!clone) throw new VsphereCallError('CloneVM_Task', 200, undefined, 'the clone is not found');
    }
    await this.ledger.saveOperation(change.idempotencyKey, { ...op, clone });
    // The clone spec's config is not applied by every vCenter (nor vcsim) on a template clone.
    if ((await this.vm(clone, signal))?.extraConfig.get(TEMPLATE_KEY) !== op.toVersion) {
      await this.reconfigure(clone, { [TEMPLATE_KEY]: op.toVersion }, signal);
    }
    return clone;
  }

  private async swap(
    change: AssetChange,
    op: SwapOperation,
    clone: MoRef,
    signal: AbortSignal,
  ): Promise<void> {
    const old = await this.vm(op.vm, signal);
    if (!old) throw new VsphereCallError('swap', 200, 'ManagedObjectNotFound', `${op.name} no longer exists`);
    if (old.powerState === 'poweredOn') await this.task('PowerOffVM_Task', moRefXml('_this', op.vm), signal);
    if (old.name !== op.retiredName) await this.rename(op.vm, op.retiredName, signal);
    if (old.extraConfig.get(ASSET_KEY)) await this.reconfigure(op.vm, { [ASSET_KEY]: '' }, signal);
    const fresh = await this.vm(clone, signal);
    if (fresh && fresh.name !== op.name) await this.rename(clone, op.name, signal);
    if (fresh && fresh.extraConfig.get(ASSET_KEY) !== change.assetId) {
      await this.reconfigure(clone, { [ASSET_KEY]: change.assetId }, signal);
    }
  }

  private async powerOn(vm: MoRef, signal: AbortSignal): Promise<void> {
    const state = await this.vm(vm, signal);
    if (state?.powerState !== 'poweredOn') await this.task('PowerOnVM_Task', moRefXml('_this', vm), signal);
  }

  private async rename(vm: MoRef, name: string, signal: AbortSignal): Promise<void> {
    await this.task('Rename_Task', `${moRefXml('_this', vm)}<newName>${escapeXml(name)}</newName>`, signal);
  }

  private async reconfigure(
    vm: MoRef,
    values: Readonly<Record<string, string>>,
    signal: AbortSignal,
  ): Promise<void> {
    await this.task(
      'ReconfigVM_Task',
      `${moRefXml('_this', vm)}<spec>${extraConfigXml(values)}</spec>`,
      signal,
    );
  }

  private async task(method: string, body: string, signal: AbortSignal): Promise<void> {
    await this.soap.runTask(method, body, this.settings, signal);
  }

  private async vm(ref: MoRef, signal: AbortSignal): Promise<(VmState & { template: boolean }) | undefined> {
    const props = await this.soap.retrieveObject(ref, VM_PATHS, signal);
    return props ? vmState(ref, props) : undefined;
  }

  private async vms(signal: AbortSignal): Promise<(VmState & { template: boolean })[]> {
    const objects = await this.soap.listObjects('VirtualMachine', VM_PATHS, signal);
    return objects.map((o) => vmState(o.obj, o.props));
  }

  private async vmNamed(name: string, signal: AbortSignal): Promise<VmState | undefined> {
    return (await this.vms(signal)).find((v) => v.name === name && !v.template);
  }

  private async vmOfAsset(assetId: string, signal: AbortSignal): Promise<VmState> {
    const vm = (await this.vms(signal)).find((v) => !v.template && v.extraConfig.get(ASSET_KEY) === assetId);
    if (!vm) {
      throw new RemediationError('REMEDIATION.EXECUTOR_FAILED', `no VM carries ${ASSET_KEY}=${assetId}`, {
        kind: 'not_found',
        metadata: { assetId },
      });
    }
    return vm;
  }

  /**
   * Runs vSphere calls in a session. A fault of the change itself (`VsphereCallError` from a task)
   * comes back to be recorded; an unreachable vCenter fails the attempt retriably.
   */
  private async vsphere<T>(what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(this.settings.timeoutMs);
    try {
      if (!this.loggedIn) {
        await this.soap.login(this.settings.username, this.settings.password, signal);
        this.loggedIn = true;
      }
      return await work(signal);
    } catch (error: unknown) {
      if (error instanceof VsphereCallError && error.faultType === 'NotAuthenticated') this.loggedIn = false;
      if (
        error instanceof VsphereCallError &&
        error.status === 200 &&
        error.faultType !== 'NotAuthenticated'
      ) {
        throw error;
      }
      if (error instanceof RemediationError) throw error;
      throw executorUnavailable(`vSphere: ${what}`, error);
    }
  }
}

function vmState(ref: MoRef, props: ReadonlyMap<string, XmlValue>): VmState & { template: boolean } {
  return {
    ref,
    name: textOf(props.get('name')) ?? '',
    powerState: textOf(props.get('runtime.powerState')) ?? 'unknown',
    template: textOf(props.get('config.template')) === 'true',
    extraConfig: extraConfigOf(props.get('config.extraConfig')),
  };
}
