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

/**
 * The Content Library through the vCenter REST (vAPI) endpoints under `/rest`: a session from basic
 * credentials, then libraries and their template items. The session id stays inside this object.
 */
export class ContentLibraryClient {
  private sessionId: string | undefined;

  constructor(
    private readonly restUrl: string,
    private readonly calls: ProviderCallRunner,
  ) {}

  async login(username: string, password: string, signal: AbortSignal): Promise<void> {
    const basic = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
    const answer = await this.request('POST', '/com/vmware/cis/session', signal, {
      authorization: `Basic ${basic}`,
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

  private async request(
    method: string,
    path: string,
    signal: AbortSignal,
    extraHeaders: Record<string, string> = {},
  ): Promise<VapiAnswer> {
    const operation = `vsphere:${method} ${path.split('?')[0]?.replace(/id:[^/]+/, 'id:{id}') ?? path}`;
    return this.calls.call(operation, signal, async (callSignal) => {
      const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
      if (this.sessionId !== undefined) headers['vmware-api-session-id'] = this.sessionId;
      const response = await fetch(`${this.restUrl}${path}`, { method, headers, signal: callSignal });
      const text = await response.text();
      let body: unknown;
      try {
        body = text.length > 0 ? JSON.parse(text) : {};
      } catch {
        body = {};
      }
      if (!response.ok) {
        const errorType = record(record(body)['value'])['error_type'] ?? record(body)['type'];
        throw new VsphereCallError(
          operation,
          response.status,
          typeof errorType === 'string' ? errorType : undefined,
          response.statusText || 'request failed',
          parseRetryAfter(response.headers.get('retry-after')),
        );
      }
      return record(body);
    });
  }
}
