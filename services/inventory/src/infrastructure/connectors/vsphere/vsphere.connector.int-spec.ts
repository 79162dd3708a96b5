import { processEnvironment } from '@rf/platform-config';
import { LoopbackFaultProxy, tcpProbe, waitFor } from '@rf/platform-testing';
import { escapeXml, type MoRef, moRefXml, textOf, VsphereSoapClient } from '@rf/platform-vsphere';
import { randomUUID } from 'node:crypto';
import type { ObservedAsset } from '../../../domain/asset/asset.entity';
import { normaliseAsset } from '../../../domain/normalisation/asset.normaliser';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';
import type { ScanProblem } from '../../../domain/scan/scan-problem';
import { providerCallPolicy } from '../provider-call/provider-call.policy';
import { ProviderCallRunner, type ProviderRetry } from '../provider-call/provider-call.runner';
import type { VsphereCredentials } from './vsphere-connector.settings';
import { classifyVsphereFailure } from './vsphere-failure.classifier';
import { VsphereConnector } from './vsphere.connector';

// vcsim, started by `deploy/local/stack.sh up vcsim`: govmomi's vCenter simulator (default VPX model).
const env = processEnvironment();
const VCSIM = env['RF_VCSIM_URL'] ?? 'http://127.0.0.1:18989';
const ACCOUNT: VsphereCredentials = {
  username: env['RF_VCSIM_USERNAME'] ?? 'user',
  password: env['RF_VCSIM_PASSWORD'] ?? 'pass',
};
const LOCKED_PASSWORD = 'not-the-password-9f3k';
const FAST = { baseDelayMs: 1, maxDelayMs: 20, callTimeoutMs: 10_000 };
const never = () => new AbortController().signal;

function soapOperation(method: string, path: string, body: string): string {
  if (path.startsWith('/sdk')) return /<(\w+) xmlns="urn:vim25"/.exec(body)?.[1] ?? 'soap';
  return `${method} ${path.split('?')[0] ?? path}`;
}

async function rest(path: string, init: RequestInit & { session?: string } = {}): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.session !== undefined) headers['vmware-api-session-id'] = init.session;
  else
    headers['authorization'] =
      `Basic ${Buffer.from(`${ACCOUNT.username}:${ACCOUNT.password}`).toString('base64')}`;
  const response = await fetch(`${VCSIM}/rest${path}`, { ...init, headers });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${response.status}`);
  const text = await response.text();
  return text ? (JSON.parse(text) as { value?: unknown }).value : undefined;
}

interface Lab {
  readonly library: string;
  /** A vSphere tag category of this run, with tags `cc-4711` and `cc-0815` attached to DC0_H0_VM0. */
  readonly tagCategory: string;
  readonly goldenItemId: string;
  readonly vms: ReadonlyMap<string, { readonly ref: MoRef; readonly uuid: string }>;
}

/** Publishes two templates to a fresh Content Library and links VMs of the default model to them. */
async function buildLab(): Promise<Lab> {
  const soap = new VsphereSoapClient(
    `${VCSIM}/sdk`,
    new ProviderCallRunner(providerCallPolicy(FAST), classifyVsphereFailure),
  );
  await soap.login(ACCOUNT.username, ACCOUNT.password, never());
  const { rootFolder } = await soap.serviceContent(never());
  const list = async (type: string, paths: string[]) => {
    const view = await soap.createContainerView(rootFolder, type, never());
    const page = await soap.retrieveFromView(view, type, paths, 1000, never());
    await soap.destroyView(view, never());
    return page.objects;
  };
  const [datastore] = await list('Datastore', ['name']);
  const session = (await rest('/com/vmware/cis/session', { method: 'POST' })) as string;
  const library = `golden-${randomUUID().slice(0, 8)}`;
  const libraryId = (await rest('/com/vmware/content/local-library', {
    method: 'POST',
    session,
    body: JSON.stringify({
      create_spec: {
        name: library,
        type: 'LOCAL',
        storage_backings: [{ type: 'DATASTORE', datastore_id: datastore?.obj.value }],
      },
    }),
  })) as string;
  const item = async (name: string, type: string) =>
    (await rest('/com/vmware/content/library/item', {
      method: 'POST',
      session,
      body: JSON.stringify({ create_spec: { library_id: libraryId, name, type } }),
    })) as string;
  const goldenItemId = await item('rhel9-golden-v1.4.2', 'ovf');
  await item('ubuntu-22-04-base-2025.10.14', 'vm-template');
  await item('install-notes', 'iso');

  const vms = new Map<string, { ref: MoRef; uuid: string }>();
  for (const vm of await list('VirtualMachine', ['name', 'config.instanceUuid'])) {
    vms.set(textOf(vm.props.get('name')) ?? '', {
      ref: vm.obj,
      uuid: textOf(vm.props.get('config.instanceUuid')) ?? '',
    });
  }
  const configure = async (name: string, options: Record<string, string>) => {
    const vm = vms.get(name);
    if (!vm) throw new Error(`vcsim has no VM ${name}`);
    const extraConfig = Object.entries(options)
      .map(
        ([k, v]) =>
          `<extraConfig><key>${escapeXml(k)}</key><value xsi:type="xsd:string">${escapeXml(v)}</value></extraConfig>`,
      )
      .join('');
    await soap.invoke('ReconfigVM_Task', `${moRefXml('_this', vm.ref)}<spec>${extraConfig}</spec>`, never());
  };
  await configure('DC0_H0_VM0', { 'rf.template': goldenItemId, 'rf.tag.environment': 'Production' });
  await configure('DC0_H0_VM1', { 'rf.template': `${library}/ubuntu-22-04-base-2025.10.14` });
  await configure('DC0_C0_RP0_VM0', { 'rf.template': 'retired-template-v0.9' });
  await configure('DC0_C0_RP0_VM1', { 'rf.template': '' });

  const tagCategory = `cost-centre-${randomUUID().slice(0, 8)}`;
  const categoryId = (await rest('/com/vmware/cis/tagging/category', {
    method: 'POST',
    session,
    body: JSON.stringify({
      create_spec: { name: tagCategory, description: '', cardinality: 'MULTIPLE', associable_types: [] },
    }),
  })) as string;
  for (const name of ['cc-4711', 'cc-0815']) {
    const tagId = (await rest('/com/vmware/cis/tagging/tag', {
      method: 'POST',
      session,
      body: JSON.stringify({ create_spec: { name, description: '', category_id: categoryId } }),
    })) as string;
    await rest(`/com/vmware/cis/tagging/tag-association/id:${tagId}?~action=attach`, {
      method: 'POST',
      session,
      body: JSON.stringify({ object_id: { id: vms.get('DC0_H0_VM0')?.ref.value, type: 'VirtualMachine' } }),
    });
  }

  const stopped = vms.get('DC0_C0_RP0_VM1');
  const powerState = async () => {
    const [vm] = (await list('VirtualMachine', ['name', 'runtime.powerState'])).filter(
      (o) => o.obj.value === stopped?.ref.value,
    );
    return textOf(vm?.props.get('runtime.powerState'));
  };
  if ((await powerState()) !== 'poweredOff') {
    await soap.invoke('PowerOffVM_Task', moRefXml('_this', stopped?.ref ?? rootFolder), never());
    await waitFor(async () => ((await powerState()) === 'poweredOff' ? true : undefined), {
      description: 'DC0_C0_RP0_VM1 powered off',
    });
  }
  await soap.logout(never());
  return { library, tagCategory, goldenItemId, vms };
}

async function scan(
  connector: VsphereConnector,
): Promise<{ records: RawAssetRecord[]; problems: ScanProblem[] }> {
  const records: RawAssetRecord[] = [];
  const problems: ScanProblem[] = [];
  for await (const page of connector.pages({ scanId: 's', sequence: 1, signal: never() })) {
    records.push(...page.records);
    problems.push(...(page.problems ?? []));
  }
  return { records, problems };
}

function byAccountAndName(records: readonly RawAssetRecord[]): Map<string, ObservedAsset> {
  const assets = new Map<string, ObservedAsset>();
  for (const record of records) {
    const result = normaliseAsset(record);
    if (!result.ok) throw new Error(`record ${record.instanceId} rejected: ${result.problems.join(', ')}`);
    assets.set(`${result.asset.account}:${result.asset.tags['Name'] ?? ''}`, result.asset);
  }
  return assets;
}

describe('VsphereConnector against vcsim', () => {
  const proxy = new LoopbackFaultProxy(VCSIM, soapOperation);
  let proxied: string;
  let lab: Lab;

  beforeAll(async () => {
    await tcpProbe(new URL(VCSIM).host).catch((error: unknown) => {
      throw new Error(`vcsim is not running at ${VCSIM}: start it with \`deploy/local/stack.sh up vcsim\``, {
        cause: error,
      });
    });
    proxied = await proxy.start();
    lab = await buildLab();
  }, 60_000);

  afterAll(async () => {
    await proxy.stop();
  });

  beforeEach(() => proxy.reset());

  function connector(options: { retries?: ProviderRetry[]; pageSize?: number; vcenters?: object[] } = {}) {
    return new VsphereConnector({
      id: 'vsphere-test',
      settings: {
        vcenters: (options.vcenters ?? [
          { name: 'vc-east', url: proxied, username: ACCOUNT.username },
          { name: 'vc-west', url: VCSIM, username: ACCOUNT.username },
        ]) as { name: string; url: string; username: string }[],
        pageSize: options.pageSize ?? 2,
        callPolicy: FAST,
      },
      credentials: (vcenter) =>
        Promise.resolve(vcenter.name === 'vc-locked' ? { ...ACCOUNT, password: LOCKED_PASSWORD } : ACCOUNT),
      calls: { onRetry: (retry) => options.retries?.push(retry) },
    });
  }

  it('lists the VMs of several vCenters page by page, with their Content Library templates', async () => {
    const { records, problems } = await scan(connector());

    expect(problems).toEqual([]);
    // Four VMs in the default model at two per page: the property collector was continued.
    expect(proxy.count('ContinueRetrievePropertiesEx')).toBeGreaterThanOrEqual(1);
    expect(proxy.count('Login')).toBe(1);
    expect(proxy.count('Logout')).toBe(1);
    const assets = byAccountAndName(records);
    expect(assets.size).toBe(8);

    expect(assets.get('vc-east:DC0_H0_VM0')).toMatchObject({
      platform: 'vsphere',
      region: 'DC0',
      site: 'DC0',
      instanceId: lab.vms.get('DC0_H0_VM0')?.uuid,
      imageRef: `${lab.library}/rhel9-golden-v1.4.2`,
      imageFamily: 'rhel9-golden',
      imageVersion: '1.4.2',
      state: 'running',
      environment: 'prod',
    });
    // vSphere tags join the asset's tags, category → tag names; untagged VMs get none.
    expect(assets.get('vc-east:DC0_H0_VM0')?.tags[lab.tagCategory]).toBe('cc-0815, cc-4711');
    expect(assets.get('vc-east:DC0_H0_VM1')?.tags[lab.tagCategory]).toBeUndefined();
    expect(assets.get('vc-east:DC0_H0_VM1')).toMatchObject({
      imageRef: `${lab.library}/ubuntu-22-04-base-2025.10.14`,
      imageFamily: 'ubuntu-22-04-base',
      imageVersion: '2025.10.14',
    });
    // A template the library no longer holds is kept as named; a VM without one has no image.
    expect(assets.get('vc-east:DC0_C0_RP0_VM0')).toMatchObject({
      imageRef: 'retired-template-v0.9',
      imageVersion: '0.9',
    });
    expect(assets.get('vc-east:DC0_C0_RP0_VM1')).toMatchObject({ imageRef: null, state: 'stopped' });
    // The same simulator behind a second vCenter name: distinct assets, same machines.
    const west = assets.get('vc-west:DC0_H0_VM0');
    expect(west?.account).toBe('vc-west');
    expect(west?.assetId).not.toBe(assets.get('vc-east:DC0_H0_VM0')?.assetId);
  });

  it('retries a throttled vCenter (503 and 429) with backoff', async () => {
    const retries: ProviderRetry[] = [];
    proxy.failNext('RetrievePropertiesEx', 2, {
      status: 503,
      headers: { 'retry-after': '0', 'content-type': 'text/plain' },
      body: 'Service Unavailable',
    });
    proxy.failNext('GET /rest/com/vmware/content/library', 1, { status: 429, body: '' });

    const { records, problems } = await scan(
      connector({ retries, vcenters: [{ name: 'vc-east', url: proxied, username: ACCOUNT.username }] }),
    );

    expect(problems).toEqual([]);
    expect(byAccountAndName(records).size).toBe(4);
    expect(retries.map((r) => [r.operation, r.reason])).toEqual([
      ['vsphere:GET /com/vmware/content/library', 'throttled'],
      ['vsphere:RetrievePropertiesEx', 'throttled'],
      ['vsphere:RetrievePropertiesEx', 'throttled'],
    ]);
  });

  it('reports a vCenter that refuses the login and still lists the others', async () => {
    const retries: ProviderRetry[] = [];
    const { records, problems } = await scan(
      connector({
        retries,
        vcenters: [
          { name: 'vc-locked', url: VCSIM, username: ACCOUNT.username },
          { name: 'vc-west', url: VCSIM, username: ACCOUNT.username },
        ],
      }),
    );

    expect(problems).toEqual([
      expect.objectContaining({
        code: 'INVENTORY.CONNECTOR_AUTH_FAILED',
        account: 'vc-locked',
        retriable: false,
      }),
    ]);
    expect(new Set(records.map((r) => r.account))).toEqual(new Set(['vc-west']));
    expect(retries).toEqual([]);
    // What the scan records never carries the credentials it was given.
    expect(JSON.stringify(problems)).not.toContain(LOCKED_PASSWORD);
  });

  it('tests the connection of each vCenter', async () => {
    const result = await connector({
      vcenters: [
        { name: 'vc-west', url: VCSIM, username: ACCOUNT.username },
        { name: 'vc-locked', url: VCSIM, username: ACCOUNT.username },
      ],
    }).testConnection(never());

    expect(result.ok).toBe(false);
    expect(result.checks).toEqual([
      expect.objectContaining({ target: 'vc-west', ok: true }),
      expect.objectContaining({ target: 'vc-locked', ok: false, code: 'INVENTORY.CONNECTOR_AUTH_FAILED' }),
    ]);
  });

  it('stops listing when the scan is cancelled and still ends the session', async () => {
    const controller = new AbortController();
    const pages = connector({
      vcenters: [{ name: 'vc-east', url: proxied, username: ACCOUNT.username }],
      pageSize: 1,
    }).pages({
      scanId: 's',
      sequence: 1,
      signal: controller.signal,
    });
    expect((await pages.next()).done).toBe(false);
    controller.abort(new Error('cancelled by operator'));

    await expect(pages.next()).rejects.toThrow('cancelled by operator');
    expect(proxy.count('Logout')).toBe(1);
  });
});
