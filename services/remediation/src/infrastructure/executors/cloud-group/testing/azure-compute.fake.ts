import { type ScriptedRequest, type ScriptedResponse, ScriptedApiServer } from '@rf/platform-testing';

/**
 * The ARM Compute REST API for VM scale sets, as far as the rolling-upgrade executor drives it
 * (api-version 2026-04-01): GET/PATCH of a scale set (PATCH is long-running, answered 202 with
 * Azure-AsyncOperation and Location), POST osRollingUpgrade (202 + Location; 409 while one runs),
 * GET rollingUpgrades/latest (404 before the first), and ARM's error body `{ error: { code, message } }`.
 * Shapes follow https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-sets and
 * .../virtual-machine-scale-set-rolling-upgrades, and the ARM async-operation guide.
 */
export const AZURE_COMPUTE_API_VERSION = '2026-04-01';

export interface FakeScaleSet {
  readonly subscription: string;
  readonly resourceGroup: string;
  readonly name: string;
  mode: 'Rolling' | 'Manual';
  imageId: string;
  readonly capacity: number;
}

interface FakeUpgrade {
  code: 'RollingForward' | 'Completed' | 'Faulted' | 'Cancelled';
  readonly startTime: Date;
  pollsLeft: number;
  readonly image: string;
}

interface FakeOperation {
  pollsLeft: number;
  readonly vmss: FakeScaleSet;
  readonly complete: () => void;
  done: boolean;
}

const SCALE_SET =
  /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.compute\/virtualmachinescalesets\/([^/]+)(\/.*)?$/u;
const OPERATION =
  /^\/subscriptions\/([^/]+)\/providers\/microsoft\.compute\/locations\/([^/]+)\/(operations|operationresults)\/([^/]+)$/u;

function armError(status: number, code: string, message: string): ScriptedResponse {
  return { status, body: { error: { code, message } } };
}

export class AzureComputeFake {
  readonly server: ScriptedApiServer;
  /** Images whose instances fail to boot: an upgrade to one faults. */
  readonly badImages = new Set<string>();
  /** Scale sets (by name) whose instances fail on any new image: an upgrade of one away from its first image faults. */
  readonly faultyScaleSets = new Set<string>();
  /** Polls of rollingUpgrades/latest an upgrade stays RollingForward. */
  upgradePolls = 2;
  /** Upgrades started per scale set name, to prove a retry started none twice. */
  readonly upgradesStarted = new Map<string, number>();
  private readonly scaleSets = new Map<string, FakeScaleSet>();
  private readonly upgrades = new Map<string, FakeUpgrade>();
  private readonly firstImages = new Map<string, string>();
  private readonly operations = new Map<string, FakeOperation>();
  private sequence = 0;

  constructor() {
    this.server = new ScriptedApiServer((request, base) => this.handle(request, base), { tls: true });
  }

  addScaleSet(scaleSet: FakeScaleSet): string {
    const id = `/subscriptions/${scaleSet.subscription}/resourceGroups/${scaleSet.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${scaleSet.name}`;
    this.scaleSets.set(id.toLowerCase(), scaleSet);
    this.firstImages.set(scaleSet.name, scaleSet.imageId);
    return id;
  }

  scaleSet(id: string): FakeScaleSet | undefined {
    return this.scaleSets.get(id.toLowerCase());
  }

  private handle(request: ScriptedRequest, base: string): ScriptedResponse | undefined {
    const path = request.path.toLowerCase();
    if (request.query['api-version'] !== AZURE_COMPUTE_API_VERSION) {
      return armError(
        400,
        'InvalidApiVersionParameter',
        `The api-version '${request.query['api-version'] ?? ''}' is invalid.`,
      );
    }
    const operation = OPERATION.exec(path);
    if (operation !== null && request.method === 'GET')
      return this.poll(operation[3] ?? '', operation[4] ?? '');
    const match = SCALE_SET.exec(path);
    if (match === null) return undefined;
    const id = path.replace(/\/(osrollingupgrade|rollingupgrades\/latest)$/u, '');
    const vmss = this.scaleSets.get(id);
    if (vmss === undefined) {
      return armError(404, 'ResourceNotFound', `The Resource '${match[3] ?? ''}' was not found.`);
    }
    const sub = match[4] ?? '';
    if (sub === '' && request.method === 'GET') return { status: 200, body: this.resource(vmss) };
    if (sub === '' && request.method === 'PATCH') return this.patch(vmss, request, base);
    if (sub === '/osrollingupgrade' && request.method === 'POST') return this.startUpgrade(vmss, base);
    if (sub === '/rollingupgrades/latest' && request.method === 'GET') return this.latest(vmss);
    return undefined;
  }

  private patch(vmss: FakeScaleSet, request: ScriptedRequest, base: string): ScriptedResponse {
    const body = request.body as {
      properties?: { virtualMachineProfile?: { storageProfile?: { imageReference?: { id?: string } } } };
    };
    const image = body.properties?.virtualMachineProfile?.storageProfile?.imageReference?.id;
    if (image === undefined) {
      return armError(400, 'InvalidParameter', 'properties.virtualMachineProfile is required.');
    }
    if (!/\/galleries\/[^/]+\/images\/[^/]+\/versions\/[^/]+$/iu.test(image)) {
      return armError(
        400,
        'InvalidParameter',
        `The image reference '${image}' is not a gallery image version.`,
      );
    }
    return this.accepted(vmss, base, 1, () => {
      vmss.imageId = image;
      // A Rolling upgrade policy rolls a model change by itself.
      if (vmss.mode === 'Rolling') this.begin(vmss);
    });
  }

  private startUpgrade(vmss: FakeScaleSet, base: string): ScriptedResponse {
    if (this.upgrades.get(vmss.name)?.code === 'RollingForward') {
      return armError(
        409,
        'RollingUpgradeInProgress',
        'There is already an ongoing rolling upgrade for this virtual machine scale set.',
      );
    }
    this.begin(vmss);
    return this.accepted(vmss, base, 0, () => undefined);
  }

  private begin(vmss: FakeScaleSet): void {
    this.upgrades.set(vmss.name, {
      code: 'RollingForward',
      startTime: new Date(),
      pollsLeft: this.upgradePolls,
      image: vmss.imageId,
    });
    this.upgradesStarted.set(vmss.name, (this.upgradesStarted.get(vmss.name) ?? 0) + 1);
  }

  private faults(vmss: FakeScaleSet, image: string): boolean {
    return (
      this.badImages.has(image) ||
      (this.faultyScaleSets.has(vmss.name) && this.firstImages.get(vmss.name) !== image)
    );
  }

  private latest(vmss: FakeScaleSet): ScriptedResponse {
    const upgrade = this.upgrades.get(vmss.name);
    if (upgrade === undefined) {
      return armError(404, 'NotFound', 'The entity was not found in this Azure location.');
    }
    if (upgrade.code === 'RollingForward') {
      upgrade.pollsLeft -= 1;
      if (upgrade.pollsLeft < 0) upgrade.code = this.faults(vmss, upgrade.image) ? 'Faulted' : 'Completed';
    }
    const failed = upgrade.code === 'Faulted' ? 1 : 0;
    const done = upgrade.code === 'RollingForward' ? 0 : vmss.capacity - failed;
    return {
      status: 200,
      body: {
        name: 'latest',
        type: 'Microsoft.Compute/virtualMachineScaleSets/rollingUpgrades',
        location: 'westeurope',
        properties: {
          policy: {
            maxBatchInstancePercent: 20,
            maxUnhealthyInstancePercent: 20,
            pauseTimeBetweenBatches: 'PT0S',
          },
          runningStatus: {
            code: upgrade.code,
            startTime: upgrade.startTime.toISOString(),
            lastAction: 'Start',
            lastActionTime: upgrade.startTime.toISOString(),
          },
          progress: {
            successfulInstanceCount: done,
            failedInstanceCount: failed,
            inProgressInstanceCount: upgrade.code === 'RollingForward' ? 1 : 0,
            pendingInstanceCount: upgrade.code === 'RollingForward' ? vmss.capacity - 1 : 0,
          },
          ...(failed > 0
            ? {
                error: {
                  code: 'MaxUnhealthyInstancePercentExceededInRollingUpgrade',
                  message: 'Rolling Upgrade failed after exceeding the MaxUnhealthyInstancePercent value.',
                },
              }
            : {}),
        },
      },
    };
  }

  /** 202 with both polling headers; the operation completes after `polls` polls of its status. */
  private accepted(vmss: FakeScaleSet, base: string, polls: number, complete: () => void): ScriptedResponse {
    const id = `op-${++this.sequence}`;
    const operation: FakeOperation = { pollsLeft: polls, vmss, complete, done: false };
    this.operations.set(id, operation);
    if (polls === 0) this.finish(operation);
    const location = `${base}/subscriptions/${vmss.subscription}/providers/Microsoft.Compute/locations/westeurope`;
    return {
      status: 202,
      headers: {
        'azure-asyncoperation': `${location}/operations/${id}?api-version=${AZURE_COMPUTE_API_VERSION}`,
        location: `${location}/operationResults/${id}?api-version=${AZURE_COMPUTE_API_VERSION}`,
      },
    };
  }

  private poll(kind: string, id: string): ScriptedResponse {
    const operation = this.operations.get(id);
    if (operation === undefined) return armError(404, 'OperationNotFound', `Operation ${id} was not found.`);
    if (!operation.done) {
      operation.pollsLeft -= 1;
      if (operation.pollsLeft <= 0) this.finish(operation);
    }
    // The Location header ends at the resource once done.
    if (kind === 'operationresults') {
      return operation.done ? { status: 200, body: this.resource(operation.vmss) } : { status: 202 };
    }
    return {
      status: 200,
      body: {
        name: id,
        status: operation.done ? 'Succeeded' : 'InProgress',
        startTime: new Date().toISOString(),
      },
    };
  }

  private finish(operation: FakeOperation): void {
    operation.done = true;
    operation.complete();
  }

  private resource(vmss: FakeScaleSet): unknown {
    return {
      id: `/subscriptions/${vmss.subscription}/resourceGroups/${vmss.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${vmss.name}`,
      name: vmss.name,
      type: 'Microsoft.Compute/virtualMachineScaleSets',
      location: 'westeurope',
      sku: { name: 'Standard_D2s_v5', tier: 'Standard', capacity: vmss.capacity },
      properties: {
        provisioningState: 'Succeeded',
        upgradePolicy: {
          mode: vmss.mode,
          rollingUpgradePolicy: { maxBatchInstancePercent: 20, maxUnhealthyInstancePercent: 20 },
        },
        virtualMachineProfile: {
          storageProfile: {
            imageReference: { id: vmss.imageId },
            osDisk: { createOption: 'FromImage', caching: 'ReadWrite' },
          },
        },
      },
    };
  }
}
