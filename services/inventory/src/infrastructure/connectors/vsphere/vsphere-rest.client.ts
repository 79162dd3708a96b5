import { VsphereCallError } from '@rf/platform-vsphere';
import { parseRetryAfter } from '../provider-call/provider-call.policy';
import type { ProviderCallRunner } from '../provider-call/provider-call.runner';

/** A Content Library item: an OVF template or a VM template (`vm-template`). */
export interface LibraryItem {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly libraryId: string;
  readonly libraryName: string;
}

interface VapiAnswer {
  readonly value?: unknown;
}

const TEMPLATE_TYPES = new Set(['ovf', 'vm-template']);

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** vSphere tags of one VM: category name → tag name (tags of one category joined by `, `). */
export type VsphereTags = Readonly<Record<string, string>>;

// vCenter answers list-attached-tags-on-objects for at most this many objects a call.
const TAG_BATCH = 100;

/**
 * The vCenter REST (vAPI) endpoints under `/rest`: a session from basic credentials, then Content
 * Library templates and vSphere tags. The session id stays inside this object.
 */
export class VsphereRestClient {
  private sessionId: string | undefined;
  private readonly tagNames = new Map<string, { readonly name: string; readonly categoryId: string }>();
  private readonly categoryNames = new Map<string, string>();

  constructor(
    private readonly restUrl: string,
    private readonly calls: ProviderCallRunner,
  ) {}

  async login(username: string, password: string, signal: AbortSignal): Promise<void> {
    const basic = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
    const answer = await this.request('POST', '/com/vmware/cis/session', signal, {
      headers: { authorization: `Basic ${basic}` },
    });
    if (typeof answer.value !== 'string' || answer.value.length === 0) {
      throw new VsphereCallError('cis.session.create', 200, undefined, 'no session id in the answer');
    }
    this.sessionId = answer.value;
  }

  async logout(signal: AbortSignal): Promise<void> {
    if (this.sessionId === undefined) return;
    try {
      await this.request('DELETE', '/com/vmware/cis/session', signal);
    } finally {
      this.sessionId = undefined;
    }
  }

  /** Every OVF and VM template of every library the account can read. */
  async templates(signal: AbortSignal): Promise<LibraryItem[]> {
    const items: LibraryItem[] = [];
    const libraryIds = stringArray((await this.request('GET', '/com/vmware/content/library', signal)).value);
    for (const libraryId of libraryIds) {
      const library = record(
        (await this.request('GET', `/com/vmware/content/library/id:${encodeURIComponent(libraryId)}`, signal))
          .value,
      );
      const libraryName = typeof library['name'] === 'string' ? library['name'] : libraryId;
      const itemIds = stringArray(
        (
          await this.request(
            'GET',
            `/com/vmware/content/library/item?library_id=${encodeURIComponent(libraryId)}`,
            signal,
          )
        ).value,
      );
      for (const itemId of itemIds) {
        const item = record(
          (
            await this.request(
              'GET',
              `/com/vmware/content/library/item/id:${encodeURIComponent(itemId)}`,
              signal,
            )
          ).value,
        );
        const type = typeof item['type'] === 'string' ? item['type'] : '';
        if (!TEMPLATE_TYPES.has(type) || typeof item['name'] !== 'string') continue;
        items.push({ id: itemId, name: item['name'], type, libraryId, libraryName });
      }
    }
    return items;
  }

  /** The vSphere tags attached to each of these VMs (by managed object id); untagged VMs are absent. */
  async vmTags(vmIds: readonly string[], signal: AbortSignal): Promise<Map<string, VsphereTags>> {
    const tagged = new Map<string, VsphereTags>();
    for (let start = 0; start < vmIds.length; start += TAG_BATCH) {
      const objectIds = vmIds.slice(start, start + TAG_BATCH).map((id) => ({ id, type: 'VirtualMachine' }));
      const answer = await this.request(
        'POST',
        '/com/vmware/cis/tagging/tag-association?~action=list-attached-tags-on-objects',
        signal,
        { body: { object_ids: objectIds } },
      );
      for (const entry of Array.isArray(answer.value) ? answer.value : []) {
        const vmId = record(record(entry)['object_id'])['id'];
        const tagIds = stringArray(record(entry)['tag_ids']);
        if (typeof vmId !== 'string' || tagIds.length === 0) continue;
        const byCategory = new Map<string, string[]>();
        for (const tagId of tagIds) {
          const tag = await this.tag(tagId, signal);
          const category = await this.category(tag.categoryId, signal);
          byCategory.set(category, [...(byCategory.get(category) ?? []), tag.name]);
        }
        tagged.set(
          vmId,
          Object.fromEntries([...byCategory].map(([c, names]) => [c, names.sort().join(', ')])),
        );
      }
    }
    return tagged;
  }

  private async tag(tagId: string, signal: AbortSignal): Promise<{ name: string; categoryId: string }> {
    const known = this.tagNames.get(tagId);
    if (known) return known;
    const tag = record(
      (await this.request('GET', `/com/vmware/cis/tagging/tag/id:${encodeURIComponent(tagId)}`, signal))
        .value,
    );
    const found = {
      name: typeof tag['name'] === 'string' ? tag['name'] : tagId,
      categoryId: typeof tag['category_id'] === 'string' ? tag['category_id'] : '',
    };
    this.tagNames.set(tagId, found);
    return found;
  }

  private async category(categoryId: string, signal: AbortSignal): Promise<string> {
    const known = this.categoryNames.get(categoryId);
    if (known !== undefined) return known;
    const category = record(
      (
        await this.request(
          'GET',
          `/com/vmware/cis/tagging/category/id:${encodeURIComponent(categoryId)}`,
          signal,
        )
      ).value,
    );
    const name = typeof category['name'] === 'string' ? category['name'] : categoryId;
    this.categoryNames.set(categoryId, name);
    return name;
  }

  private async request(
    method: string,
    path: string,
    signal: AbortSignal,
    options: { readonly headers?: Record<string, string>; readonly body?: unknown } = {},
  ): Promise<VapiAnswer> {
    const operation = `vsphere:${method} ${path.split('?')[0]?.replace(/id:[^/]+/, 'id:{id}') ?? path}`;
    return this.calls.call(operation, signal, async (callSignal) => {
      const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
      if (this.sessionId !== undefined) headers['vmware-api-session-id'] = this.sessionId;
      let body: string | undefined;
      if (options.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.body);
      }
      const response = await fetch(`${this.restUrl}${path}`, { method, headers, body, signal: callSignal });
      const text = await response.text();
      let answer: unknown;
      try {
        answer = text.length > 0 ? JSON.parse(text) : {};
      } catch {
        answer = {};
      }
      if (!response.ok) {
        const errorType = record(record(answer)['value'])['error_type'] ?? record(answer)['type'];
        throw new VsphereCallError(
          operation,
          response.status,
          typeof errorType === 'string' ? errorType : undefined,
          response.statusText || 'request failed',
          parseRetryAfter(response.headers.get('retry-after')),
        );
      }
      return record(answer);
    });
  }
}
