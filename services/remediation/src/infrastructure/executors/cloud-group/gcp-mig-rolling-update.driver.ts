import {
  GlobalOperationsClient,
  InstanceGroupManagersClient,
  InstanceTemplatesClient,
  type protos,
  RegionInstanceGroupManagersClient,
  RegionOperationsClient,
  ZoneOperationsClient,
} from '@google-cloud/compute';
import type { AuthClient } from 'google-auth-library';
import type {
  CloudGroupModel,
  CloudGroupRolloutDriver,
  CloudRolloutOutcome,
  CloudRolloutRequest,
} from './cloud-group-rollout.driver';
import { pause, providerUnavailable } from './cloud-rollout-errors';
import { rollingUpdateBudget, templateNameOf } from './gcp-rolling-update.budget';

type Operation = protos.google.cloud.compute.v1.IOperation;
type InstanceGroupManager = protos.google.cloud.compute.v1.IInstanceGroupManager;
type InstanceTemplate = protos.google.cloud.compute.v1.IInstanceTemplate;
type ClientOptions = NonNullable<ConstructorParameters<typeof InstanceGroupManagersClient>[0]>;

export interface GcpMigRolloutSettings {
  /** Compute endpoint (`https://compute.googleapis.com` unless set: private endpoints, tests). */
  readonly endpoint?: string;
  /** Credentials; Application Default Credentials (workload identity, metadata server) when absent. */
  readonly authClient?: AuthClient;
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
  /** Retries of a throttled call (429 rateLimitExceeded), with exponential backoff from `baseDelayMs`. */
  readonly throttleRetries: {
    readonly attempts: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
  };
}

export interface MigRef {
  readonly project: string;
  readonly zone: string | null;
  readonly region: string | null;
  readonly name: string;
}

const MIG_PATH =
  /^(?:https:\/\/[^/]+\/compute\/v1\/)?projects\/([^/]+)\/(zones|regions)\/([^/]+)\/instanceGroupManagers\/([^/]+)$/u;
const COMPUTE_SCOPE = 'https://www.googleapis.com/auth/compute';
// gRPC codes, as google-gax maps Compute's HTTP errors onto them.
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const RESOURCE_EXHAUSTED = 8;
const PERMISSION_DENIED = 7;
const RATE_LIMITED = /rateLimitExceeded|userRateLimitExceeded|Rate Limit Exceeded/iu;
const CLOCK_SKEW_MS = 60_000;
/** The async iterator follows `nextPageToken` itself. */
const PAGED = { autoPaginate: false };

export function migRef(path: string): MigRef {
  const match = MIG_PATH.exec(path);
  if (match === null) throw new Error(`not a managed instance group path: ${path}`);
  const zonal = match[2] === 'zones';
  return {
    project: match[1] ?? '',
    zone: zonal ? (match[3] ?? '') : null,
    region: zonal ? null : (match[3] ?? ''),
    name: match[4] ?? '',
  };
}

/** `projects/p/global/instanceTemplates/t` of a template URL or path, for comparing references. */
export function templatePath(reference: string | null | undefined): string {
  const at = (reference ?? '').indexOf('projects/');
  return at < 0 ? (reference ?? '') : (reference ?? '').slice(at);
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown }).code;
}

function throttled(error: unknown): boolean {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : '';
  return code === RESOURCE_EXHAUSTED || (code === PERMISSION_DENIED && RATE_LIMITED.test(message));
}

/**
 * GCP managed instance groups (zonal or regional): the target image becomes a new instance template
 * (a copy of the group's current one with the boot disk's source image replaced), the MIG's
 * `versions[]` is patched to it with a PROACTIVE update policy whose surge follows the wave's
 * concurrency, the returned Operation is waited on, then the MIG is polled until
 * `status.isStable` and `status.versionTarget.isReached`; errors the MIG reports for its instances
 * (`listErrors`) since the change fail it. A MIG already on the template is not patched again.
 */
export class GcpMigRollingUpdateDriver implements CloudGroupRolloutDriver {
  readonly name = 'gcp-mig-rolling-update';
  private readonly migs: InstanceGroupManagersClient;
  private readonly regionalMigs: RegionInstanceGroupManagersClient;
  private readonly templates: InstanceTemplatesClient;
  private readonly zoneOperations: ZoneOperationsClient;
  private readonly regionOperations: RegionOperationsClient;
  private readonly globalOperations: GlobalOperationsClient;

  constructor(private readonly settings: GcpMigRolloutSettings) {
    const endpoint = settings.endpoint === undefined ? undefined : new URL(settings.endpoint);
    const options: ClientOptions = {
      fallback: true,
      scopes: [COMPUTE_SCOPE],
      ...(settings.authClient === undefined ? {} : { authClient: settings.authClient }),
      ...(endpoint === undefined
        ? {}
        : {
            apiEndpoint: endpoint.hostname,
            protocol: endpoint.protocol.replace(':', ''),
            ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
          }),
    };
    this.migs = new InstanceGroupManagersClient(options);
    this.regionalMigs = new RegionInstanceGroupManagersClient(options);
    this.templates = new InstanceTemplatesClient(options);
    this.zoneOperations = new ZoneOperationsClient(options);
    this.regionOperations = new RegionOperationsClient(options);
    this.globalOperations = new GlobalOperationsClient(options);
  }

  async close(): Promise<void> {
    await Promise.allSettled(
      [
        this.migs,
        this.regionalMigs,
        this.templates,
        this.zoneOperations,
        this.regionOperations,
        this.globalOperations,
      ].map((client) => client.close()),
    );
  }

  async current(group: string): Promise<CloudGroupModel> {
    const ref = migRef(group);
    const mig = await this.getMig(ref);
    const template = currentTemplateOf(mig);
    const found = await this.findTemplate(ref.project, lastSegment(template));
    return { ref: templatePath(template), version: versionOf(found) };
  }

  async roll(request: CloudRolloutRequest): Promise<CloudRolloutOutcome> {
    const ref = migRef(request.group);
    // The marker is when this change first touched the group; instance errors before it are older rollouts'.
    const marker = request.marker ?? (await request.markStarted(new Date().toISOString()));
    const since = new Date(marker);
    const desired =
      request.change.kind === 'image'
        ? await this.ensureTemplate(ref, request.change.image, request.change.version)
        : templatePath(request.change.ref);
    const mig = await this.getMig(ref);
    if (templatePath(currentTemplateOf(mig)) !== desired) {
      const budget = rollingUpdateBudget(
        request.maxConcurrency,
        ref.region === null ? null : (mig.distributionPolicy?.zones?.length ?? 3),
      );
      const patch: InstanceGroupManager = {
        versions: [{ name: 'rf', instanceTemplate: desired }],
        updatePolicy: {
          type: 'PROACTIVE',
          minimalAction: 'REPLACE',
          maxSurge: { fixed: budget.maxSurge },
          maxUnavailable: { fixed: budget.maxUnavailable },
        },
      };
      const operation = await this.call(`patching ${ref.name}`, async () => {
        const [lro] =
          ref.zone !== null
            ? await this.migs.patch({
                project: ref.project,
                zone: ref.zone,
                instanceGroupManager: ref.name,
                instanceGroupManagerResource: patch,
              })
            : await this.regionalMigs.patch({
                project: ref.project,
                region: ref.region ?? '',
                instanceGroupManager: ref.name,
                instanceGroupManagerResource: patch,
              });
        return lro.latestResponse as Operation;
      });
      const done = await this.waitFor(ref, operation, request);
      const failure = operationFailure(done);
      if (failure !== undefined)
        return { ok: false, detail: `${ref.name}: the update was refused: ${failure}` };
      request.heartbeat({ phase: 'patched', template: desired, ...budget });
    }
    const deadline = Date.now() + this.settings.timeoutMs;
    for (;;) {
      const state = await this.getMig(ref);
      const errors = await this.errorsSince(ref, since, desired);
      if (errors.length > 0) {
        return {
          ok: false,
          detail: `${ref.name}: ${errors.length} instance error(s): ${errors.slice(0, 3).join('; ')}`,
        };
      }
      if (state.status?.isStable === true && state.status.versionTarget?.isReached === true) {
        return { ok: true, detail: `${ref.name}: stable on ${lastSegment(desired)}` };
      }
      request.heartbeat({ phase: 'rolling', currentActions: state.currentActions });
      if (Date.now() > deadline) throw providerUnavailable(`${ref.name} did not become stable`);
      await pause(this.settings.pollIntervalMs);
    }
  }

  /** The template for the image: found by its name, or copied from the group's current one. */
  private async ensureTemplate(ref: MigRef, image: string, version: string): Promise<string> {
    const name = templateNameOf(ref.name, version);
    const path = `projects/${ref.project}/global/instanceTemplates/${name}`;
    if ((await this.findTemplate(ref.project, name)) !== undefined) return path;
    const mig = await this.getMig(ref);
    const base = await this.findTemplate(ref.project, lastSegment(currentTemplateOf(mig)));
    if (base?.properties === undefined || base.properties === null) {
      throw providerUnavailable(`${ref.name}: its instance template cannot be read`);
    }
    const disks = (base.properties.disks ?? []).map((disk) =>
      disk.boot === true
        ? { ...disk, initializeParams: { ...disk.initializeParams, sourceImage: image } }
        : disk,
    );
    const operation = await this.call(`creating template ${name}`, async () => {
      try {
        const [lro] = await this.templates.insert({
          project: ref.project,
          instanceTemplateResource: {
            name,
            description: `rf-version: ${version} (from ${base.name ?? 'unknown'})`,
            properties: { ...base.properties, disks },
          },
        });
        return lro.latestResponse as Operation;
      } catch (error: unknown) {
        // Created by an earlier attempt that did not see the answer.
        if (codeOf(error) === ALREADY_EXISTS) return undefined;
        throw error;
      }
    });
    if (operation !== undefined) {
      let current = operation;
      while (current.status !== 'DONE') {
        current = await this.call('waiting for the template', async () => {
          const [next] = await this.globalOperations.wait({
            project: ref.project,
            operation: current.name ?? '',
          });
          return next;
        });
      }
      const failure = operationFailure(current);
      if (failure !== undefined) throw providerUnavailable(`creating template ${name}: ${failure}`);
    }
    return path;
  }

  private async waitFor(ref: MigRef, operation: Operation, request: CloudRolloutRequest): Promise<Operation> {
    let current = operation;
    const deadline = Date.now() + this.settings.timeoutMs;
    while (current.status !== 'DONE') {
      request.heartbeat({ phase: 'operation', operation: current.name, progress: current.progress });
      current = await this.call(`waiting for ${current.name ?? 'the operation'}`, async () => {
        const [next] =
          ref.zone !== null
            ? await this.zoneOperations.wait({
                project: ref.project,
                zone: ref.zone,
                operation: current.name ?? '',
              })
            : await this.regionOperations.wait({
                project: ref.project,
                region: ref.region ?? '',
                operation: current.name ?? '',
              });
        return next;
      });
      if (Date.now() > deadline)
        throw providerUnavailable(`${current.name ?? 'the operation'} is still running`);
    }
    return current;
  }

  /** Errors of instances created from the template since the change; older ones belong to other rollouts. */
  private async errorsSince(ref: MigRef, since: Date, template: string): Promise<string[]> {
    return this.call(`listing errors of ${ref.name}`, async () => {
      const errors: string[] = [];
      const pages =
        ref.zone !== null
          ? this.migs.listErrorsAsync(
              { project: ref.project, zone: ref.zone, instanceGroupManager: ref.name },
              PAGED,
            )
          : this.regionalMigs.listErrorsAsync(
              { project: ref.project, region: ref.region ?? '', instanceGroupManager: ref.name },
              PAGED,
            );
      for await (const item of pages) {
        const at = Date.parse(item.timestamp ?? '');
        if (Number.isNaN(at) || at < since.getTime() - CLOCK_SKEW_MS) continue;
        const version = item.instanceActionDetails?.version?.instanceTemplate;
        if (version != null && templatePath(version) !== template) continue;
        errors.push(
          `${lastSegment(item.instanceActionDetails?.instance ?? '')}: ${item.error?.code ?? ''} ${item.error?.message ?? ''}`.trim(),
        );
      }
      return errors;
    });
  }

  private getMig(ref: MigRef): Promise<InstanceGroupManager> {
    return this.call(`reading ${ref.name}`, async () => {
      const [mig] =
        ref.zone !== null
          ? await this.migs.get({ project: ref.project, zone: ref.zone, instanceGroupManager: ref.name })
          : await this.regionalMigs.get({
              project: ref.project,
              region: ref.region ?? '',
              instanceGroupManager: ref.name,
            });
      return mig;
    });
  }

  private findTemplate(project: string, name: string): Promise<InstanceTemplate | undefined> {
    return this.call(`reading template ${name}`, async () => {
      try {
        const [template] = await this.templates.get({ project, instanceTemplate: name });
        return template;
      } catch (error: unknown) {
        if (codeOf(error) === NOT_FOUND) return undefined;
        throw error;
      }
    });
  }

  /** One Compute call; throttling is waited out with backoff, anything else fails the attempt. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    const { attempts, baseDelayMs, maxDelayMs } = this.settings.throttleRetries;
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error: unknown) {
        if (!throttled(error) || attempt >= attempts) throw providerUnavailable(what, error);
        await pause(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }
}

function currentTemplateOf(mig: InstanceGroupManager): string {
  return mig.versions?.[0]?.instanceTemplate ?? mig.instanceTemplate ?? '';
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function versionOf(template: InstanceTemplate | undefined): string | null {
  return /rf-version: (\S+)/u.exec(template?.description ?? '')?.[1] ?? null;
}

function operationFailure(operation: Operation): string | undefined {
  const errors = operation.error?.errors ?? [];
  if (errors.length === 0) return undefined;
  return errors.map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ');
}
