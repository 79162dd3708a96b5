import type { MoRef } from '@rf/platform-vsphere';
import { textOf, VsphereSoapClient } from '@rf/platform-vsphere';
import type {
  ConnectionCheck,
  ConnectionTargetCheck,
  Connector,
  ConnectorScanRequest,
  RawAssetPage,
} from '../../../application/ports/connector.port';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';
import { parseConnectorSettings } from '../provider-call/connector-settings.parser';
import { ProviderCallRunner, type ProviderCallRunnerOptions } from '../provider-call/provider-call.runner';
import { failedCheck, scopedProblem } from '../provider-call/provider-problem';
import {
  type VcenterSettings,
  type VsphereConnectorSettings,
  type VsphereConnectorSettingsInput,
  vsphereConnectorSettingsSchema,
  type VsphereCredentialsResolver,
} from './vsphere-connector.settings';
import { classifyVsphereFailure } from './vsphere-failure.classifier';
import { VsphereRestClient, type VsphereTags } from './vsphere-rest.client';
import { type TemplateIndex, templateIndex, VM_PROPERTIES, vmRecord } from './vsphere-vm.mapper';

export interface VsphereConnectorOptions {
  readonly id: string;
  readonly settings: VsphereConnectorSettingsInput;
  readonly credentials: VsphereCredentialsResolver;
  readonly calls?: ProviderCallRunnerOptions;
}

// Logout after a cancelled or failed listing still gets a short chance to free the session.
const LOGOUT_TIMEOUT_MS = 5_000;

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * Read-only inventory of one or more vCenters: logs in with a service account, reads the Content
 * Library's templates over REST, then walks each datacenter's VMs with the paged property collector
 * (RetrievePropertiesEx / ContinueRetrievePropertiesEx). A vCenter that cannot be listed becomes a
 * problem of the scan; the others are still listed.
 */
export class VsphereConnector implements Connector {
  readonly kind = 'vsphere';
  readonly id: string;
  private readonly settings: VsphereConnectorSettings;
  private readonly calls: ProviderCallRunner;

  constructor(private readonly options: VsphereConnectorOptions) {
    this.id = options.id;
    ({ settings: this.settings, calls: this.calls } = parseConnectorSettings(
      'vSphere',
      vsphereConnectorSettingsSchema,
      classifyVsphereFailure,
      options,
    ));
  }

  async *pages(request: ConnectorScanRequest): AsyncGenerator<RawAssetPage> {
    for (const vcenter of this.settings.vcenters) {
      try {
        yield* this.listVcenter(vcenter, request.signal);
      } catch (error: unknown) {
        if (request.signal.aborted) throw error;
        yield { records: [], problems: [scopedProblem(error, { account: vcenter.name })] };
      }
    }
  }

  async testConnection(signal: AbortSignal): Promise<ConnectionCheck> {
    const checks: ConnectionTargetCheck[] = [];
    for (const vcenter of this.settings.vcenters) {
      const soap = new VsphereSoapClient(`${trimSlash(vcenter.url)}/sdk`, this.calls);
      try {
        const credentials = await this.options.credentials(vcenter, signal);
        const content = await soap.serviceContent(signal);
        await soap.login(credentials.username, credentials.password, signal);
        if (this.usesRest) {
          const rest = new VsphereRestClient(`${trimSlash(vcenter.url)}/rest`, this.calls);
          await rest.login(credentials.username, credentials.password, signal);
          await rest.logout(signal);
        }
        checks.push({
          target: vcenter.name,
          ok: true,
          detail: `vCenter ${content.instanceUuid}, API ${content.apiVersion}`,
        });
      } catch (error: unknown) {
        if (signal.aborted) throw error;
        checks.push(failedCheck(vcenter.name, error));
      } finally {
        await soap.logout(AbortSignal.timeout(LOGOUT_TIMEOUT_MS)).catch(() => undefined);
      }
    }
    const failed = checks.filter((c) => !c.ok).length;
    return {
      ok: failed === 0,
      detail:
        failed === 0
          ? `${checks.length} vCenter(s) reachable`
          : `${failed} of ${checks.length} vCenter(s) unreachable`,
      checks,
    };
  }

  private get usesRest(): boolean {
    return this.settings.contentLibrary || this.settings.tags;
  }

  private async *listVcenter(vcenter: VcenterSettings, signal: AbortSignal): AsyncGenerator<RawAssetPage> {
    const credentials = await this.options.credentials(vcenter, signal);
    const soap = new VsphereSoapClient(`${trimSlash(vcenter.url)}/sdk`, this.calls);
    await soap.login(credentials.username, credentials.password, signal);
    let rest: VsphereRestClient | undefined;
    try {
      let templates = templateIndex([]);
      if (this.usesRest) {
        try {
          const client = new VsphereRestClient(`${trimSlash(vcenter.url)}/rest`, this.calls);
          await client.login(credentials.username, credentials.password, signal);
          rest = client;
          if (this.settings.contentLibrary) templates = templateIndex(await client.templates(signal));
        } catch (error: unknown) {
          if (signal.aborted) throw error;
          // VMs are still listed; only their template references and vSphere tags stay unknown.
          yield { records: [], problems: [scopedProblem(error, { account: vcenter.name })] };
        }
      }
      const tags = this.settings.tags && rest ? new VmTagReader(rest, vcenter.name) : undefined;
      const { rootFolder } = await soap.serviceContent(signal);
      for (const datacenter of await this.datacenters(soap, rootFolder, vcenter, signal)) {
        yield* this.listDatacenter(soap, vcenter, datacenter, { templates, tags }, signal);
      }
    } finally {
      await rest?.logout(AbortSignal.timeout(LOGOUT_TIMEOUT_MS)).catch(() => undefined);
      await soap.logout(AbortSignal.timeout(LOGOUT_TIMEOUT_MS)).catch(() => undefined);
    }
  }

  private async datacenters(
    soap: VsphereSoapClient,
    rootFolder: MoRef,
    vcenter: VcenterSettings,
    signal: AbortSignal,
  ): Promise<{ readonly ref: MoRef; readonly name: string }[]> {
    const found: { ref: MoRef; name: string }[] = [];
    for await (const object of this.retrieveAll(soap, rootFolder, 'Datacenter', ['name'], signal)) {
      found.push({ ref: object.obj, name: textOf(object.props.get('name')) ?? object.obj.value });
    }
    const wanted = vcenter.datacenters === undefined ? undefined : new Set(vcenter.datacenters);
    return found.filter((dc) => wanted === undefined || wanted.has(dc.name));
  }

  private async *listDatacenter(
    soap: VsphereSoapClient,
    vcenter: VcenterSettings,
    datacenter: { readonly ref: MoRef; readonly name: string },
    lookups: { readonly templates: TemplateIndex; readonly tags: VmTagReader | undefined },
    signal: AbortSignal,
  ): AsyncGenerator<RawAssetPage> {
    const context = {
      account: vcenter.name,
      datacenter: datacenter.name,
      templates: lookups.templates,
      templateRefKeys: this.settings.templateRefKeys,
    };
    let page: { vmId: string; record: RawAssetRecord }[] = [];
    const flush = async (): Promise<RawAssetPage> => {
      const listed = page;
      page = [];
      if (!lookups.tags) return { records: listed.map((p) => p.record) };
      return lookups.tags.tag(listed, signal);
    };
    for await (const object of this.retrieveAll(
      soap,
      datacenter.ref,
      'VirtualMachine',
      VM_PROPERTIES,
      signal,
    )) {
      const record = vmRecord(object, context);
      if (record !== null) page.push({ vmId: object.obj.value, record });
      if (page.length >= this.settings.pageSize) yield await flush();
    }
    if (page.length > 0) yield await flush();
  }

  /** Every object of `type` under `container`, page by page through a container view. */
  private async *retrieveAll(
    soap: VsphereSoapClient,
    container: MoRef,
    type: string,
    paths: readonly string[],
    signal: AbortSignal,
  ) {
    const view = await soap.createContainerView(container, type, signal);
    try {
      let page = await soap.retrieveFromView(view, type, paths, this.settings.pageSize, signal);
      yield* page.objects;
      while (page.token !== undefined) {
        page = await soap.continueRetrieve(page.token, signal);
        yield* page.objects;
      }
    } finally {
      await soap.destroyView(view, AbortSignal.timeout(LOGOUT_TIMEOUT_MS)).catch(() => undefined);
    }
  }
}

/**
 * Adds each VM's vSphere tags to its record, one tagging call per page. vSphere tags win over
 * `rf.tag.*` advanced settings of the same name. When the tagging API fails, the vCenter's problem is
 * reported once and its VMs are still listed, untagged.
 */
class VmTagReader {
  private failed = false;

  constructor(
    private readonly rest: VsphereRestClient,
    private readonly account: string,
  ) {}

  async tag(
    page: readonly { readonly vmId: string; readonly record: RawAssetRecord }[],
    signal: AbortSignal,
  ): Promise<RawAssetPage> {
    if (this.failed) return { records: page.map((p) => p.record) };
    let tags: Map<string, VsphereTags>;
    try {
      tags = await this.rest.vmTags(
        page.map((p) => p.vmId),
        signal,
      );
    } catch (error: unknown) {
      if (signal.aborted) throw error;
      this.failed = true;
      return {
        records: page.map((p) => p.record),
        problems: [scopedProblem(error, { account: this.account })],
      };
    }
    return {
      records: page.map(({ vmId, record }) => {
        const own = tags.get(vmId);
        return own ? { ...record, tags: { ...(record.tags as Record<string, string>), ...own } } : record;
      }),
    };
  }
}
