import { parseRetryAfter } from '@rf/platform-errors';
import { VsphereCallError } from './vsphere-call.error';
import {
  attributeOf,
  child,
  children,
  envelope,
  escapeXml,
  faultOf,
  type MoRef,
  moRefOf,
  moRefXml,
  parseXml,
  returnValue,
  textOf,
  type XmlNode,
  type XmlValue,
} from './vsphere-soap.xml';

export interface ServiceContent {
  readonly rootFolder: MoRef;
  readonly propertyCollector: MoRef;
  readonly viewManager: MoRef;
  readonly sessionManager: MoRef;
  readonly instanceUuid: string;
  readonly apiVersion: string;
}

/** One object of a property collector answer: its reference and the requested properties. */
export interface ObjectContent {
  readonly obj: MoRef;
  readonly props: ReadonlyMap<string, XmlValue>;
}

export interface RetrieveResult {
  readonly objects: readonly ObjectContent[];
  /** Set when more objects remain: pass to `continueRetrieve`. */
  readonly token: string | undefined;
}

const SOAP_ACTION = 'urn:vim25/8.0.0.0';

/** Runs each call under the caller's retry and timeout policy; `direct` runs it once as is. */
export interface VsphereCallRunner {
  call<T>(operation: string, signal: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

export const directVsphereCalls: VsphereCallRunner = {
  call: (_operation, signal, fn) => fn(signal),
};

function requireMoRef(node: XmlValue, what: string): MoRef {
  const ref = moRefOf(node);
  if (ref === undefined)
    throw new VsphereCallError('RetrieveServiceContent', 200, undefined, `no ${what} in answer`);
  return ref;
}

function retrieveResult(value: XmlValue): RetrieveResult {
  const objects = children(value, 'objects').map((object): ObjectContent => {
    const props = new Map<string, XmlValue>();
    for (const prop of children(object, 'propSet')) {
      const name = textOf(child(prop, 'name'));
      if (name !== undefined) props.set(name, child(prop, 'val'));
    }
    return { obj: moRefOf(child(object, 'obj')) ?? { type: '', value: '' }, props };
  });
  const token = textOf(child(value, 'token'));
  return { objects, token: token ? token : undefined };
}

/**
 * The vSphere Web Services (SOAP) calls an agentless inventory or executor needs, over fetch: service
 * content, login/logout, container views, the paged property collector and tasks. Every call goes
 * through the caller's retry/timeout policy; the session cookie stays inside this object.
 */
export class VsphereSoapClient {
  private cookie: string | undefined;
  private content: ServiceContent | undefined;

  constructor(
    private readonly sdkUrl: string,
    private readonly calls: VsphereCallRunner = directVsphereCalls,
  ) {}

  async serviceContent(signal: AbortSignal): Promise<ServiceContent> {
    if (this.content !== undefined) return this.content;
    const value = await this.invoke(
      'RetrieveServiceContent',
      '<_this type="ServiceInstance">ServiceInstance</_this>',
      signal,
    );
    const about = child(value, 'about');
    this.content = {
      rootFolder: requireMoRef(child(value, 'rootFolder'), 'rootFolder'),
      propertyCollector: requireMoRef(child(value, 'propertyCollector'), 'propertyCollector'),
      viewManager: requireMoRef(child(value, 'viewManager'), 'viewManager'),
      sessionManager: requireMoRef(child(value, 'sessionManager'), 'sessionManager'),
      instanceUuid: textOf(child(about, 'instanceUuid')) ?? '',
      apiVersion: textOf(child(about, 'apiVersion')) ?? '',
    };
    return this.content;
  }

  async login(username: string, password: string, signal: AbortSignal): Promise<void> {
    const { sessionManager } = await this.serviceContent(signal);
    await this.invoke(
      'Login',
      `${moRefXml('_this', sessionManager)}<userName>${escapeXml(username)}</userName>` +
        `<password>${escapeXml(password)}</password>`,
      signal,
    );
    if (this.cookie === undefined) {
      throw new VsphereCallError('Login', 200, 'NotAuthenticated', 'no session cookie in the answer');
    }
  }

  /** Ends the session; best effort, a vCenter also expires idle sessions. */
  async logout(signal: AbortSignal): Promise<void> {
    if (this.cookie === undefined || this.content === undefined) return;
    try {
      await this.invoke('Logout', moRefXml('_this', this.content.sessionManager), signal);
    } finally {
      this.cookie = undefined;
    }
  }

  async createContainerView(container: MoRef, type: string, signal: AbortSignal): Promise<MoRef> {
    const { viewManager } = await this.serviceContent(signal);
    const value = await this.invoke(
      'CreateContainerView',
      `${moRefXml('_this', viewManager)}${moRefXml('container', container)}` +
        `<type>${escapeXml(type)}</type><recursive>true</recursive>`,
      signal,
    );
    const view = moRefOf(value);
    if (view === undefined)
      throw new VsphereCallError('CreateContainerView', 200, undefined, 'no view returned');
    return view;
  }

  async destroyView(view: MoRef, signal: AbortSignal): Promise<void> {
    await this.invoke('DestroyView', moRefXml('_this', view), signal);
  }

  /** The first page of `type` objects under a container view, `maxObjects` at most. */
  async retrieveFromView(
    view: MoRef,
    type: string,
    paths: readonly string[],
    maxObjects: number,
    signal: AbortSignal,
  ): Promise<RetrieveResult> {
    const { propertyCollector } = await this.serviceContent(signal);
    const spec =
      `<specSet><propSet><type>${escapeXml(type)}</type>` +
      paths.map((p) => `<pathSet>${escapeXml(p)}</pathSet>`).join('') +
      `</propSet><objectSet>${moRefXml('obj', view)}<skip>true</skip>` +
      '<selectSet xsi:type="TraversalSpec"><name>traverseView</name><type>ContainerView</type>' +
      '<path>view</path><skip>false</skip></selectSet></objectSet></specSet>' +
      `<options><maxObjects>${maxObjects}</maxObjects></options>`;
    const value = await this.invoke(
      'RetrievePropertiesEx',
      moRefXml('_this', propertyCollector) + spec,
      signal,
    );
    return retrieveResult(value);
  }

  async continueRetrieve(token: string, signal: AbortSignal): Promise<RetrieveResult> {
    const { propertyCollector } = await this.serviceContent(signal);
    const value = await this.invoke(
      'ContinueRetrievePropertiesEx',
      `${moRefXml('_this', propertyCollector)}<token>${escapeXml(token)}</token>`,
      signal,
    );
    return retrieveResult(value);
  }

  /** Properties of one managed object, or undefined when the object no longer exists. */
  async retrieveObject(
    obj: MoRef,
    paths: readonly string[],
    signal: AbortSignal,
  ): Promise<ReadonlyMap<string, XmlValue> | undefined> {
    const { propertyCollector } = await this.serviceContent(signal);
    const spec =
      `<specSet><propSet><type>${escapeXml(obj.type)}</type>` +
      paths.map((p) => `<pathSet>${escapeXml(p)}</pathSet>`).join('') +
      `</propSet><objectSet>${moRefXml('obj', obj)}<skip>false</skip></objectSet></specSet><options/>`;
    try {
      const value = await this.invoke(
        'RetrievePropertiesEx',
        moRefXml('_this', propertyCollector) + spec,
        signal,
      );
      return retrieveResult(value).objects[0]?.props;
    } catch (error: unknown) {
      if (error instanceof VsphereCallError && error.faultType === 'ManagedObjectNotFound') return undefined;
      throw error;
    }
  }

  /** Every object of `type` under the root folder with the given properties, page by page. */
  async listObjects(type: string, paths: readonly string[], signal: AbortSignal): Promise<ObjectContent[]> {
    const { rootFolder } = await this.serviceContent(signal);
    const view = await this.createContainerView(rootFolder, type, signal);
    try {
      let page = await this.retrieveFromView(view, type, paths, 500, signal);
      const all = [...page.objects];
      while (page.token !== undefined) {
        page = await this.continueRetrieve(page.token, signal);
        all.push(...page.objects);
      }
      return all;
    } finally {
      await this.destroyView(view, signal);
    }
  }

  /**
   * Runs a `*_Task` method and waits for its task to end, reading `info` every `pollIntervalMs`;
   * returns the task's result, or throws a `VsphereCallError` with the task's fault.
   */
  async runTask(
    method: string,
    body: string,
    options: { readonly pollIntervalMs: number; readonly timeoutMs: number },
    signal: AbortSignal,
  ): Promise<XmlValue> {
    const task = moRefOf(await this.invoke(method, body, signal));
    if (task === undefined) throw new VsphereCallError(method, 200, undefined, 'no task returned');
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const info = (await this.retrieveObject(task, ['info'], signal))?.get('info');
      const state = textOf(child(info, 'state'));
      if (state === 'success') return child(info, 'result');
      if (state === 'error') {
        const error = child(info, 'error');
        const fault = child(error, 'fault');
        const type = attributeOf(fault, 'type') ?? 'TaskError';
        throw new VsphereCallError(method, 200, type, textOf(child(error, 'localizedMessage')) || type);
      }
      if (Date.now() > deadline) {
        throw new VsphereCallError(
          method,
          200,
          'TaskTimedOut',
          `task ${task.value} still ${state ?? 'queued'}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs));
    }
  }

  /** Any vim25 method by name, with its body after `_this`; for calls this client does not wrap. */
  async invoke(method: string, body: string, signal: AbortSignal): Promise<XmlValue> {
    return this.calls.call(`vsphere:${method}`, signal, (callSignal) => this.post(method, body, callSignal));
  }

  private async post(method: string, body: string, signal: AbortSignal): Promise<XmlValue> {
    const headers: Record<string, string> = {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: SOAP_ACTION,
    };
    if (this.cookie !== undefined) headers['cookie'] = this.cookie;
    const response = await fetch(this.sdkUrl, {
      method: 'POST',
      headers,
      body: envelope(`<${method} xmlns="urn:vim25">${body}</${method}>`),
      signal,
    });
    const text = await response.text();
    const setCookie = response.headers.get('set-cookie');
    const session = setCookie === null ? undefined : /vmware_soap_session=("[^"]*"|[^;,]*)/.exec(setCookie);
    if (session !== undefined && session !== null) this.cookie = `vmware_soap_session=${session[1] ?? ''}`;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    let document: XmlNode | undefined;
    try {
      document = text.length > 0 ? parseXml(text) : undefined;
    } catch {
      document = undefined;
    }
    const fault = document === undefined ? undefined : faultOf(document);
    if (fault !== undefined) {
      throw new VsphereCallError(method, response.status, fault.type, fault.message, retryAfterMs);
    }
    if (!response.ok || document === undefined) {
      throw new VsphereCallError(
        method,
        response.status,
        undefined,
        response.statusText || 'no SOAP answer',
        retryAfterMs,
      );
    }
    return returnValue(document);
  }
}
