import {
  ImagesClient,
  InstanceGroupManagersClient,
  InstanceTemplatesClient,
  type protos,
  RegionInstanceGroupManagersClient,
  RegionInstanceTemplatesClient,
} from '@google-cloud/compute';
import type { AuthClient } from 'google-auth-library';
import type {
  ConnectionCheck,
  ConnectionTargetCheck,
  Connector,
  ConnectorScanRequest,
  RawAssetPage,
} from '../../../application/ports/connector.port';
import { parseConnectorSettings } from '../provider-call/connector-settings.parser';
import { ProviderCallRunner, type ProviderCallRunnerOptions } from '../provider-call/provider-call.runner';
import { failedCheck, scopedProblem } from '../provider-call/provider-problem';
import { COMPUTE_READ_ONLY_SCOPE, gcpAuthClient } from './gcp-auth-client.factory';
import {
  type GcpConnectorSettings,
  type GcpConnectorSettingsInput,
  gcpConnectorSettingsSchema,
} from './gcp-connector.settings';
import { classifyGcpFailure } from './gcp-failure.classifier';
import {
  type ImageFacts,
  imageFacts,
  lastSegment,
  locationOf,
  managedInstanceRecord,
  resourcePath,
} from './gcp-mig.mapper';

type InstanceTemplate = protos.google.cloud.compute.v1.IInstanceTemplate;
type InstanceGroupManager = protos.google.cloud.compute.v1.IInstanceGroupManager;
type ManagedInstance = protos.google.cloud.compute.v1.IManagedInstance;
type GcpClientOptions = NonNullable<ConstructorParameters<typeof ImagesClient>[0]>;

/**
 * Resolved at call time: a service-account key or Workload Identity Federation configuration
 * (`credentials`), a ready auth client, or nothing for Application Default Credentials.
 */
export type GcpAuthMaterial =
  | { readonly credentials: Readonly<Record<string, unknown>> }
  | { readonly authClient: AuthClient }
  | undefined;

export interface GcpConnectorOptions {
  readonly id: string;
  readonly settings: GcpConnectorSettingsInput;
  readonly auth: (signal: AbortSignal) => Promise<GcpAuthMaterial>;
  readonly calls?: ProviderCallRunnerOptions;
}

const NOT_FOUND = 5;

interface Clients {
  readonly images: ImagesClient;
  readonly migs: InstanceGroupManagersClient;
  readonly regionalMigs: RegionInstanceGroupManagersClient;
  readonly templates: InstanceTemplatesClient;
  readonly regionalTemplates: RegionInstanceTemplatesClient;
}

interface Mig {
  readonly name: string;
  readonly scope: { readonly zone: string } | { readonly region: string };
  readonly instanceTemplate: string | null;
}

/**
 * Read-only Compute Engine inventory across projects: the image families published in the image
 * projects, then the instances of every managed instance group (zonal and regional) with the image
 * of the instance template each was created from. Each page (`nextPageToken`) is its own call under
 * the connector policy, with the library's own retries off.
 */
export class GcpConnector implements Connector {
  readonly kind = 'gcp';
  readonly id: string;
  private readonly settings: GcpConnectorSettings;
  private readonly calls: ProviderCallRunner;

  constructor(private readonly options: GcpConnectorOptions) {
    this.id = options.id;
    ({ settings: this.settings, calls: this.calls } = parseConnectorSettings(
      'GCP',
      gcpConnectorSettingsSchema,
      classifyGcpFailure,
      options,
    ));
  }

  async *pages(request: ConnectorScanRequest): AsyncGenerator<RawAssetPage> {
    const { signal } = request;
    const clients = this.clients(await this.options.auth(signal));
    try {
      const images = new Map<string, ImageFacts>();
      for (const project of this.settings.imageProjects ?? this.settings.projects) {
        try {
          await this.collectImages(clients, project, images, signal);
        } catch (error: unknown) {
          if (signal.aborted) throw error;
          yield { records: [], problems: [scopedProblem(error, { account: project })] };
        }
      }
      for (const project of this.settings.projects) {
        try {
          yield* this.listProject(clients, project, images, signal);
        } catch (error: unknown) {
          if (signal.aborted) throw error;
          yield { records: [], problems: [scopedProblem(error, { account: project })] };
        }
      }
    } finally {
      await this.close(clients);
    }
  }

  async testConnection(signal: AbortSignal): Promise<ConnectionCheck> {
    const checks: ConnectionTargetCheck[] = [];
    let clients: Clients;
    try {
      clients = this.clients(await this.options.auth(signal));
    } catch (error: unknown) {
      if (signal.aborted) throw error;
      const check = failedCheck('credentials', error);
      return { ok: false, detail: `cannot use the credentials: ${check.detail}`, checks: [check] };
    }
    try {
      for (const project of this.settings.projects) {
        try {
          const [images] = await this.gax(`gcp:Images.List ${project}`, signal, (options) =>
            clients.images.list({ project, maxResults: 1 }, options),
          );
          checks.push({
            target: project,
            ok: true,
            detail: `Compute API readable (${images.length} image on page)`,
          });
        } catch (error: unknown) {
          if (signal.aborted) throw error;
          checks.push(failedCheck(project, error));
        }
      }
    } finally {
      await this.close(clients);
    }
    const failed = checks.filter((c) => !c.ok).length;
    return {
      ok: failed === 0,
      detail:
        failed === 0
          ? `${checks.length} project(s) readable`
          : `${failed} of ${checks.length} project(s) unreadable`,
      checks,
    };
  }

  /** Every image of a project's families, keyed by `projects/p/global/images/name`. */
  private async collectImages(
    clients: Clients,
    project: string,
    images: Map<string, ImageFacts>,
    signal: AbortSignal,
  ): Promise<void> {
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const [page, next] = await this.gax(`gcp:Images.List ${project}`, signal, (options) =>
        clients.images.list(
          { project, maxResults: this.settings.pageSize, ...(token ? { pageToken: token } : {}) },
          options,
        ),
      );
      for (const image of page) {
        if (image.name) images.set(`projects/${project}/global/images/${image.name}`, imageFacts(image));
      }
      pageToken = next?.pageToken ?? undefined;
    } while (pageToken);
  }

  private async *listProject(
    clients: Clients,
    project: string,
    images: ReadonlyMap<string, ImageFacts>,
    signal: AbortSignal,
  ): AsyncGenerator<RawAssetPage> {
    const templates = new Map<string, InstanceTemplate | undefined>();
    for (const mig of await this.managedGroups(clients, project, signal)) {
      let pageToken: string | undefined;
      do {
        const token = pageToken;
        const [instances, next] = await this.listManagedInstances(clients, project, mig, token, signal);
        const records = [];
        for (const instance of instances) {
          const templateUrl = instance.version?.instanceTemplate ?? mig.instanceTemplate;
          const template = templateUrl
            ? await this.template(clients, templateUrl, templates, signal)
            : undefined;
          records.push(managedInstanceRecord(instance, { project, template, images }));
        }
        if (records.length > 0) yield { records };
        pageToken = next?.pageToken ?? undefined;
      } while (pageToken);
    }
  }

  private async managedGroups(clients: Clients, project: string, signal: AbortSignal): Promise<Mig[]> {
    // The aggregated listing pages internally; a failed page restarts it, which is cheap for MIGs.
    return this.calls.call(
      `gcp:InstanceGroupManagers.AggregatedList ${project}`,
      signal,
      async (callSignal) => {
        const migs: Mig[] = [];
        const iterable = clients.migs.aggregatedListAsync(
          { project, maxResults: this.settings.pageSize },
          this.callOptions(),
        );
        for await (const [, scoped] of iterable) {
          callSignal.throwIfAborted();
          for (const group of scoped.instanceGroupManagers ?? []) {
            const mig = this.migOf(group);
            if (mig !== undefined) migs.push(mig);
          }
        }
        return migs;
      },
    );
  }

  private migOf(group: InstanceGroupManager): Mig | undefined {
    if (!group.name) return undefined;
    const zone = group.zone ? lastSegment(group.zone) : undefined;
    const region = group.region ? lastSegment(group.region) : undefined;
    const scope = zone ? { zone } : region ? { region } : undefined;
    if (scope === undefined) return undefined;
    return { name: group.name, scope, instanceTemplate: group.instanceTemplate ?? null };
  }

  private listManagedInstances(
    clients: Clients,
    project: string,
    mig: Mig,
    pageToken: string | undefined,
    signal: AbortSignal,
  ): Promise<[ManagedInstance[], { pageToken?: string | null } | null, unknown]> {
    const page = { maxResults: this.settings.pageSize, ...(pageToken ? { pageToken } : {}) };
    const { scope } = mig;
    if ('zone' in scope) {
      return this.gax(`gcp:InstanceGroupManagers.ListManagedInstances ${mig.name}`, signal, (options) =>
        clients.migs.listManagedInstances(
          { project, zone: scope.zone, instanceGroupManager: mig.name, ...page },
          options,
        ),
      );
    }
    return this.gax(`gcp:RegionInstanceGroupManagers.ListManagedInstances ${mig.name}`, signal, (options) =>
      clients.regionalMigs.listManagedInstances(
        { project, region: scope.region, instanceGroupManager: mig.name, ...page },
        options,
      ),
    );
  }

  /** An instance template, cached per scan; a deleted template leaves its instances without image. */
  private async template(
    clients: Clients,
    url: string,
    cache: Map<string, InstanceTemplate | undefined>,
    signal: AbortSignal,
  ): Promise<InstanceTemplate | undefined> {
    const path = resourcePath(url);
    if (cache.has(path)) return cache.get(path);
    const project = /^projects\/([^/]+)\//.exec(path)?.[1] ?? '';
    const name = lastSegment(path);
    const region = path.includes('/regions/') ? locationOf(path) : null;
    try {
      const [template] =
        region === null
          ? await this.gax(`gcp:InstanceTemplates.Get ${name}`, signal, (options) =>
              clients.templates.get({ project, instanceTemplate: name }, options),
            )
          : await this.gax(`gcp:RegionInstanceTemplates.Get ${name}`, signal, (options) =>
              clients.regionalTemplates.get({ project, region, instanceTemplate: name }, options),
            );
      cache.set(path, template);
      return template;
    } catch (error: unknown) {
      const code = (error as { readonly cause?: { readonly code?: unknown } }).cause?.code;
      if (signal.aborted || code !== NOT_FOUND) throw error;
      cache.set(path, undefined);
      return undefined;
    }
  }

  /** One Compute call under the connector policy; cancelling the scan cancels the call. */
  private gax<T>(
    operation: string,
    signal: AbortSignal,
    run: (options: ReturnType<GcpConnector['callOptions']>) => Promise<T>,
  ): Promise<T> {
    return this.calls.call(
      operation,
      signal,
      (callSignal) =>
        new Promise<T>((resolve, reject) => {
          const pending = run(this.callOptions());
          const onAbort = (): void => {
            (pending as { cancel?: () => void }).cancel?.();
            reject(callSignal.reason as Error);
          };
          callSignal.addEventListener('abort', onAbort, { once: true });
          pending.then(resolve, reject).finally(() => callSignal.removeEventListener('abort', onAbort));
        }),
    );
  }

  private callOptions() {
    return { autoPaginate: false, timeout: this.calls.policy.callTimeoutMs, retry: { retryCodes: [] } };
  }

  private clients(auth: GcpAuthMaterial): Clients {
    const endpoint = this.settings.endpoint === undefined ? undefined : new URL(this.settings.endpoint);
    const options: GcpClientOptions = {
      fallback: true,
      scopes: [COMPUTE_READ_ONLY_SCOPE],
      ...(auth !== undefined && 'authClient' in auth ? { authClient: auth.authClient } : {}),
      ...(auth !== undefined && 'credentials' in auth ? { authClient: gcpAuthClient(auth.credentials) } : {}),
      ...(endpoint === undefined
        ? {}
        : {
            apiEndpoint: endpoint.hostname,
            protocol: endpoint.protocol.replace(':', ''),
            ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
          }),
    };
    return {
      images: new ImagesClient(options),
      migs: new InstanceGroupManagersClient(options),
      regionalMigs: new RegionInstanceGroupManagersClient(options),
      templates: new InstanceTemplatesClient(options),
      regionalTemplates: new RegionInstanceTemplatesClient(options),
    };
  }

  private async close(clients: Clients): Promise<void> {
    await Promise.allSettled(
      Object.values(clients).map((client: { close(): Promise<void> }) => client.close()),
    );
  }
}
