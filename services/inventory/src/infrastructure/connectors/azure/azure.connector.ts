import { ComputeManagementClient, type VirtualMachineScaleSet } from '@azure/arm-compute';
import type { TokenCredential } from '@azure/identity';
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
import {
  type AzureConnectorSettings,
  type AzureConnectorSettingsInput,
  azureConnectorSettingsSchema,
} from './azure-connector.settings';
import { classifyAzureFailure } from './azure-failure.classifier';
import { galleryVersionTags, imageKey, resourceGroupOf, vmssVmRecord } from './azure-vmss.mapper';

/** Resolves the token credential at call time (see `azureTokenCredential`); never logged. */
export type AzureCredentialResolver = (signal: AbortSignal) => Promise<TokenCredential>;

export interface AzureConnectorOptions {
  readonly id: string;
  readonly settings: AzureConnectorSettingsInput;
  readonly credential: AzureCredentialResolver;
  readonly calls?: ProviderCallRunnerOptions;
}

/** The part of the SDK's paged iterators the connector drives: one page per call, resumable by token. */
interface PagedList<T> {
  byPage(settings?: {
    continuationToken?: string;
  }): AsyncIterableIterator<T[] & { continuationToken?: string }>;
}

type ListFn<T> = (options: { abortSignal: AbortSignal }) => PagedList<T>;

/**
 * Read-only Azure inventory across subscriptions: Shared Image Gallery image versions (their tags carry
 * the golden-image lineage) and the instances of every VM scale set, with the image each runs. Every
 * page (`nextLink`) is a separate call under the connector policy; SDK retries are off.
 */
export class AzureConnector implements Connector {
  readonly kind = 'azure';
  readonly id: string;
  private readonly settings: AzureConnectorSettings;
  private readonly calls: ProviderCallRunner;

  constructor(private readonly options: AzureConnectorOptions) {
    this.id = options.id;
    ({ settings: this.settings, calls: this.calls } = parseConnectorSettings(
      'Azure',
      azureConnectorSettingsSchema,
      classifyAzureFailure,
      options,
    ));
  }

  async *pages(request: ConnectorScanRequest): AsyncGenerator<RawAssetPage> {
    const { signal } = request;
    const credential = await this.options.credential(signal);
    for (const subscription of this.settings.subscriptions) {
      const client = this.client(credential, subscription);
      let images = new Map<string, Readonly<Record<string, string>>>();
      if (this.settings.galleries) {
        try {
          images = await this.galleryImageVersions(client, subscription, signal);
        } catch (error: unknown) {
          if (signal.aborted) throw error;
          // Instances are still listed; only lineage from gallery tags is missing.
          yield { records: [], problems: [scopedProblem(error, { account: subscription })] };
        }
      }
      try {
        yield* this.scaleSetInstances(client, subscription, images, signal);
      } catch (error: unknown) {
        if (signal.aborted) throw error;
        yield { records: [], problems: [scopedProblem(error, { account: subscription })] };
      }
    }
  }

  async testConnection(signal: AbortSignal): Promise<ConnectionCheck> {
    const checks: ConnectionTargetCheck[] = [];
    let credential: TokenCredential;
    try {
      credential = await this.options.credential(signal);
    } catch (error: unknown) {
      if (signal.aborted) throw error;
      const check = failedCheck('credential', error);
      return { ok: false, detail: `cannot obtain a credential: ${check.detail}`, checks: [check] };
    }
    for (const subscription of this.settings.subscriptions) {
      const client = this.client(credential, subscription);
      try {
        const first = await this.calls.call(
          `azure:VirtualMachineScaleSets.ListAll ${subscription}`,
          signal,
          (s) => client.virtualMachineScaleSets.listAll({ abortSignal: s }).byPage().next(),
        );
        const count = first.done === true ? 0 : first.value.length;
        checks.push({ target: subscription, ok: true, detail: `${count} scale set(s) on the first page` });
      } catch (error: unknown) {
        if (signal.aborted) throw error;
        checks.push(failedCheck(subscription, error));
      }
    }
    const failed = checks.filter((c) => !c.ok).length;
    return {
      ok: failed === 0,
      detail:
        failed === 0
          ? `${checks.length} subscription(s) readable`
          : `${failed} of ${checks.length} subscription(s) unreadable`,
      checks,
    };
  }

  private async galleryImageVersions(
    client: ComputeManagementClient,
    subscription: string,
    signal: AbortSignal,
  ): Promise<Map<string, Readonly<Record<string, string>>>> {
    const images = new Map<string, Readonly<Record<string, string>>>();
    for await (const galleries of this.listPages(`azure:Galleries.List ${subscription}`, signal, (o) =>
      client.galleries.list(o),
    )) {
      for (const gallery of galleries) {
        const group = resourceGroupOf(gallery.id);
        if (group === undefined || gallery.name === undefined) continue;
        const galleryName = gallery.name;
        for await (const definitions of this.listPages(
          `azure:GalleryImages.ListByGallery ${galleryName}`,
          signal,
          (o) => client.galleryImages.listByGallery(group, galleryName, o),
        )) {
          for (const definition of definitions) {
            if (definition.name === undefined) continue;
            const imageName = definition.name;
            for await (const versions of this.listPages(
              `azure:GalleryImageVersions.ListByGalleryImage ${galleryName}/${imageName}`,
              signal,
              (o) => client.galleryImageVersions.listByGalleryImage(group, galleryName, imageName, o),
            )) {
              for (const version of versions) {
                if (version.id !== undefined) {
                  images.set(imageKey(version.id), galleryVersionTags(definition.tags, version));
                }
              }
            }
          }
        }
      }
    }
    return images;
  }

  private async *scaleSetInstances(
    client: ComputeManagementClient,
    subscription: string,
    images: ReadonlyMap<string, Readonly<Record<string, string>>>,
    signal: AbortSignal,
  ): AsyncGenerator<RawAssetPage> {
    const scaleSets: VirtualMachineScaleSet[] = [];
    for await (const page of this.listPages(
      `azure:VirtualMachineScaleSets.ListAll ${subscription}`,
      signal,
      (o) => client.virtualMachineScaleSets.listAll(o),
    )) {
      scaleSets.push(...page);
    }
    for (const scaleSet of scaleSets) {
      const group = resourceGroupOf(scaleSet.id);
      if (group === undefined || scaleSet.name === undefined) continue;
      const name = scaleSet.name;
      for await (const vms of this.listPages(`azure:VirtualMachineScaleSetVMs.List ${name}`, signal, (o) =>
        client.virtualMachineScaleSetVMs.list(group, name, { ...o, expand: 'instanceView' }),
      )) {
        const records = vms.map((vm) => vmssVmRecord(vm, { subscription, scaleSet, images }));
        if (records.length > 0) yield { records };
      }
    }
  }

  /** Each page of an ARM list (`value` + `nextLink`) as its own call under the connector policy. */
  private async *listPages<T>(operation: string, signal: AbortSignal, list: ListFn<T>): AsyncGenerator<T[]> {
    let continuationToken: string | undefined;
    do {
      const token = continuationToken;
      const page = await this.calls.call(operation, signal, async (abortSignal) => {
        const next = await list({ abortSignal })
          .byPage(token === undefined ? undefined : { continuationToken: token })
          .next();
        return next.done === true ? undefined : next.value;
      });
      if (page === undefined) return;
      yield [...page];
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
  }

  // SDK retries off: the connector policy is the only one that retries.
  private client(credential: TokenCredential, subscription: string): ComputeManagementClient {
    const { endpoint, caCertificate } = this.settings;
    return new ComputeManagementClient(credential, subscription, {
      retryOptions: { maxRetries: 0 },
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(caCertificate === undefined ? {} : { tlsOptions: { ca: caCertificate } }),
    });
  }
}
