import {
  ComputeManagementClient,
  type RollingUpgradeStatusInfo,
  type VirtualMachineScaleSet,
} from '@azure/arm-compute';
import type { TokenCredential } from '@azure/identity';
import type {
  CloudGroupModel,
  CloudGroupRolloutDriver,
  CloudRolloutOutcome,
  CloudRolloutRequest,
} from './cloud-group-rollout.driver';
import { pause, providerUnavailable } from './cloud-rollout-errors';

export interface AzureVmssRolloutSettings {
  /** ARM endpoint; the public cloud's unless set (sovereign clouds, tests). */
  readonly endpoint?: string;
  /** Extra CA to trust (a private endpoint's, or a test server's). */
  readonly caCertificate?: string;
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
}

const ARM_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/([^/]+)$/iu;
const NONE = 'none';
const RUNNING = new Set(['RollingForward', 'RollingBack']);

export interface ScaleSetRef {
  readonly subscription: string;
  readonly resourceGroup: string;
  readonly name: string;
}

export function scaleSetRef(id: string): ScaleSetRef {
  const match = ARM_ID.exec(id);
  if (match === null) throw new Error(`not a VM scale set id: ${id}`);
  return { subscription: match[1] ?? '', resourceGroup: match[2] ?? '', name: match[3] ?? '' };
}

/** A Shared Image Gallery version id ends in `/versions/<version>`. */
export function galleryVersionOf(imageId: string | undefined): string | null {
  const match = /\/versions\/([^/]+)$/iu.exec(imageId ?? '');
  return match?.[1] ?? null;
}

function sameId(a: string | undefined, b: string): boolean {
  return (a ?? '').toLowerCase() === b.toLowerCase();
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Azure VM scale sets: the model's `storageProfile.imageReference` is set to the target Shared
 * Image Gallery version (a long-running PATCH, polled through Azure-AsyncOperation), then a rolling
 * OS upgrade rolls the instances in batches and `rollingUpgrades/latest` is polled until it
 * completes, faults or is cancelled. A scale set with an automatic rolling policy starts that
 * upgrade itself on the model change; one already running is joined, and ARM's 409 for a second
 * start is taken as "already rolling". The SDK's own retry policy honours 429 Retry-After.
 */
export class AzureVmssRollingUpgradeDriver implements CloudGroupRolloutDriver {
  readonly name = 'azure-vmss-rolling-upgrade';
  private readonly clients = new Map<string, ComputeManagementClient>();

  constructor(
    private readonly credential: TokenCredential,
    private readonly settings: AzureVmssRolloutSettings,
  ) {}

  async current(group: string): Promise<CloudGroupModel> {
    const ref = scaleSetRef(group);
    const vmss = await this.get(ref);
    const image = imageIdOf(vmss);
    return { ref: image ?? '', version: galleryVersionOf(image) };
  }

  async roll(request: CloudRolloutRequest): Promise<CloudRolloutOutcome> {
    const ref = scaleSetRef(request.group);
    const client = this.client(ref.subscription);
    const desired = request.change.kind === 'image' ? request.change.image : request.change.ref;
    // The marker is the start of the last upgrade before this change: any later one is this change's.
    const marker =
      request.marker ??
      (await request.markStarted((await this.latest(ref))?.runningStatus?.startTime?.toISOString() ?? NONE));
    const after = marker === NONE ? Number.NEGATIVE_INFINITY : Date.parse(marker);
    const vmss = await this.get(ref);
    if (!sameId(imageIdOf(vmss), desired)) {
      try {
        await client.virtualMachineScaleSets.update(
          ref.resourceGroup,
          ref.name,
          { virtualMachineProfile: { storageProfile: { imageReference: { id: desired } } } },
          { updateIntervalInMs: this.settings.pollIntervalMs },
        );
      } catch (error: unknown) {
        if (statusOf(error) === 400 || statusOf(error) === 404) {
          return { ok: false, detail: `${ref.name}: the model was not changed: ${messageOf(error)}` };
        }
        throw providerUnavailable(`updating ${ref.name}`, error);
      }
      request.heartbeat({ phase: 'model-updated', image: desired });
    }
    const deadline = Date.now() + this.settings.timeoutMs;
    let requested = false;
    for (;;) {
      const latest = await this.latest(ref);
      const code = latest?.runningStatus?.code;
      const startedAt = latest?.runningStatus?.startTime?.getTime() ?? 0;
      const ours = latest !== undefined && startedAt > after;
      if (code !== undefined && RUNNING.has(code)) {
        request.heartbeat({ phase: code, progress: latest?.progress });
      } else if (ours && code !== undefined) {
        const progress = latest.progress;
        const counts = `${progress?.successfulInstanceCount ?? 0} upgraded, ${progress?.failedInstanceCount ?? 0} failed`;
        return code === 'Completed'
          ? { ok: true, detail: `${ref.name}: rolling upgrade Completed (${counts})` }
          : {
              ok: false,
              detail: `${ref.name}: rolling upgrade ${code} (${counts})${latest.error?.message ? `: ${latest.error.message}` : ''}`,
            };
      } else if (!requested) {
        await this.startUpgrade(ref);
        requested = true;
        request.heartbeat({ phase: 'upgrade-requested' });
        continue;
      }
      if (Date.now() > deadline) {
        throw providerUnavailable(`the rolling upgrade of ${ref.name} is still ${code ?? 'not started'}`);
      }
      await pause(this.settings.pollIntervalMs);
    }
  }

  private async startUpgrade(ref: ScaleSetRef): Promise<void> {
    try {
      // Sent, not polled to the end: progress is read from rollingUpgrades/latest, with heartbeats.
      const poller = this.client(ref.subscription).virtualMachineScaleSetRollingUpgrades.startOSUpgrade(
        ref.resourceGroup,
        ref.name,
        { updateIntervalInMs: this.settings.pollIntervalMs },
      );
      await poller.submitted();
    } catch (error: unknown) {
      // ARM refuses a second upgrade while one runs: the running one is this change's.
      if (statusOf(error) === 409) return;
      throw providerUnavailable(`starting the rolling upgrade of ${ref.name}`, error);
    }
  }

  private async get(ref: ScaleSetRef): Promise<VirtualMachineScaleSet> {
    try {
      return await this.client(ref.subscription).virtualMachineScaleSets.get(ref.resourceGroup, ref.name);
    } catch (error: unknown) {
      throw providerUnavailable(`reading ${ref.name}`, error);
    }
  }

  private async latest(ref: ScaleSetRef): Promise<RollingUpgradeStatusInfo | undefined> {
    try {
      return await this.client(ref.subscription).virtualMachineScaleSetRollingUpgrades.getLatest(
        ref.resourceGroup,
        ref.name,
      );
    } catch (error: unknown) {
      if (statusOf(error) === 404) return undefined;
      throw providerUnavailable(`reading the rolling upgrade of ${ref.name}`, error);
    }
  }

  private client(subscription: string): ComputeManagementClient {
    let client = this.clients.get(subscription);
    if (client === undefined) {
      const { endpoint, caCertificate } = this.settings;
      client = new ComputeManagementClient(this.credential, subscription, {
        ...(endpoint === undefined ? {} : { endpoint }),
        ...(caCertificate === undefined ? {} : { tlsOptions: { ca: caCertificate } }),
      });
      this.clients.set(subscription, client);
    }
    return client;
  }
}

function imageIdOf(vmss: VirtualMachineScaleSet): string | undefined {
  return vmss.virtualMachineProfile?.storageProfile?.imageReference?.id;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
