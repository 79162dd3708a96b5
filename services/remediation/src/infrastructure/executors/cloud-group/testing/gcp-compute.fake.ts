import { type ScriptedRequest, type ScriptedResponse, ScriptedApiServer } from '@rf/platform-testing';

/**
 * The Compute Engine v1 REST API for managed instance groups, as far as the rolling-update executor
 * drives it: instanceGroupManagers (zonal and regional) get/patch/listErrors, instanceTemplates
 * get/insert, zone/region/global operations wait/get, with Operation resources, `pageToken`
 * pagination, and Google's error body `{ error: { code, message, errors: [{ reason }] } }`.
 * Shapes follow https://cloud.google.com/compute/docs/reference/rest/v1 (instanceGroupManagers,
 * regionInstanceGroupManagers, instanceTemplates, zoneOperations, regionOperations, globalOperations).
 */
const API = '/compute/v1/';
const SELF = 'https://www.googleapis.com/compute/v1/';

export interface FakeMig {
  readonly project: string;
  readonly zone: string | null;
  readonly region: string | null;
  readonly name: string;
  /** `projects/p/global/instanceTemplates/t` */
  template: string;
  readonly targetSize: number;
  stable: boolean;
  pollsLeft: number;
  readonly errors: { timestamp: string; instance: string; template: string; code: string; message: string }[];
  updatePolicy?: unknown;
}

interface FakeOperation {
  readonly name: string;
  readonly scope: string;
  readonly operationType: string;
  readonly targetLink: string;
  waitsLeft: number;
  readonly complete: () => void;
  done: boolean;
  readonly insertTime: string;
}

function googleError(status: number, reason: string, message: string): ScriptedResponse {
  return {
    status,
    body: { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } },
  };
}

export class GcpComputeFake {
  readonly server: ScriptedApiServer;
  /** Images whose instances never come up: a MIG rolled to one reports errors and never settles. */
  readonly badImages = new Set<string>();
  /** MIG reads a rollout takes before the group is stable. */
  rolloutPolls = 2;
  /** Patches per MIG name, to prove a retry patched once. */
  readonly patches = new Map<string, number>();
  private readonly migs = new Map<string, FakeMig>();
  private readonly templates = new Map<string, Record<string, unknown>>();
  private readonly operations = new Map<string, FakeOperation>();
  private sequence = 0;

  constructor() {
    this.server = new ScriptedApiServer((request) => this.handle(request));
  }

  addTemplate(project: string, name: string, sourceImage: string): string {
    const path = `projects/${project}/global/instanceTemplates/${name}`;
    this.templates.set(path, {
      kind: 'compute#instanceTemplate',
      name,
      description: '',
      properties: {
        machineType: 'e2-standard-2',
        disks: [{ boot: true, autoDelete: true, initializeParams: { sourceImage, diskSizeGb: '20' } }],
        networkInterfaces: [{ network: `${SELF}projects/${project}/global/networks/default` }],
      },
      selfLink: `${SELF}${path}`,
    });
    return path;
  }

  addMig(mig: Omit<FakeMig, 'stable' | 'pollsLeft' | 'errors'>): string {
    const scope = mig.zone !== null ? `zones/${mig.zone}` : `regions/${mig.region ?? ''}`;
    const path = `projects/${mig.project}/${scope}/instanceGroupManagers/${mig.name}`;
    this.migs.set(path, { ...mig, stable: true, pollsLeft: 0, errors: [] });
    return path;
  }

  mig(path: string): FakeMig | undefined {
    return this.migs.get(path);
  }

  template(path: string): Record<string, unknown> | undefined {
    return this.templates.get(path);
  }

  private handle(request: ScriptedRequest): ScriptedResponse | undefined {
    if (!request.path.startsWith(API)) return undefined;
    const path = request.path.slice(API.length);
    const op =
      /^(projects\/[^/]+\/(?:zones\/[^/]+|regions\/[^/]+|global))\/operations\/([^/]+)(\/wait)?$/u.exec(path);
    if (op !== null) {
      const wait = op[3] !== undefined;
      if ((wait && request.method === 'POST') || (!wait && request.method === 'GET')) {
        return this.operation(op[2] ?? '', wait);
      }
      return undefined;
    }
    const templates = /^projects\/([^/]+)\/global\/instanceTemplates(?:\/([^/]+))?$/u.exec(path);
    if (templates !== null) {
      if (request.method === 'GET' && templates[2] !== undefined) {
        const template = this.templates.get(path);
        return template === undefined
          ? googleError(404, 'notFound', `The resource '${path}' was not found`)
          : { status: 200, body: template };
      }
      if (request.method === 'POST' && templates[2] === undefined)
        return this.insertTemplate(templates[1] ?? '', request);
      return undefined;
    }
    const mig =
      /^(projects\/[^/]+\/(?:zones|regions)\/[^/]+\/instanceGroupManagers\/[^/]+)(\/listErrors)?$/u.exec(
        path,
      );
    if (mig === null) return undefined;
    const state = this.migs.get(mig[1] ?? '');
    if (state === undefined)
      return googleError(404, 'notFound', `The resource '${mig[1] ?? ''}' was not found`);
    if (mig[2] !== undefined && request.method === 'GET') return this.listErrors(state, request);
    if (request.method === 'GET') return { status: 200, body: this.read(state) };
    if (request.method === 'PATCH') return this.patch(state, mig[1] ?? '', request);
    return undefined;
  }

  private insertTemplate(project: string, request: ScriptedRequest): ScriptedResponse {
    const body = request.body as { name?: string; properties?: unknown; description?: string };
    if (body.name === undefined || body.properties === undefined) {
      return googleError(400, 'required', "Required field 'resource.name' not specified");
    }
    const path = `projects/${project}/global/instanceTemplates/${body.name}`;
    if (this.templates.has(path)) {
      return googleError(409, 'alreadyExists', `The resource '${path}' already exists`);
    }
    return this.started(`projects/${project}/global`, 'insert', path, () => {
      this.templates.set(path, { kind: 'compute#instanceTemplate', ...body, selfLink: `${SELF}${path}` });
    });
  }

  private patch(state: FakeMig, path: string, request: ScriptedRequest): ScriptedResponse {
    const body = request.body as { versions?: { instanceTemplate?: string }[]; updatePolicy?: unknown };
    const target = body.versions?.[0]?.instanceTemplate;
    const templatePath = target === undefined ? undefined : target.slice(target.indexOf('projects/'));
    if (templatePath === undefined || !this.templates.has(templatePath)) {
      return googleError(
        400,
        'invalid',
        `Invalid value for field 'resource.versions[0].instanceTemplate': '${target ?? ''}'`,
      );
    }
    this.patches.set(state.name, (this.patches.get(state.name) ?? 0) + 1);
    const scope = path.slice(0, path.indexOf('/instanceGroupManagers/'));
    return this.started(scope, 'patch', path, () => {
      state.template = templatePath;
      state.updatePolicy = body.updatePolicy;
      state.stable = false;
      state.pollsLeft = this.rolloutPolls;
      if (this.badImages.has(this.imageOf(templatePath))) {
        state.errors.push(
          ...[0, 1].map((i) => ({
            timestamp: new Date().toISOString(),
            instance: `${SELF}projects/${state.project}/zones/${state.zone ?? 'europe-west1-b'}/instances/${state.name}-new${i}`,
            template: templatePath,
            code: 'CONDITION_NOT_MET',
            message: 'Instance failed its health check after creation.',
          })),
        );
      }
    });
  }

  private read(state: FakeMig): Record<string, unknown> {
    if (!state.stable) {
      state.pollsLeft -= 1;
      if (state.pollsLeft < 0 && !this.badImages.has(this.imageOf(state.template))) state.stable = true;
    }
    const scope =
      state.zone !== null
        ? { zone: `${SELF}projects/${state.project}/zones/${state.zone}` }
        : {
            region: `${SELF}projects/${state.project}/regions/${state.region ?? ''}`,
            distributionPolicy: {
              zones: ['b', 'c', 'd'].map((z) => ({
                zone: `${SELF}projects/${state.project}/zones/${state.region ?? ''}-${z}`,
              })),
            },
          };
    return {
      kind: 'compute#instanceGroupManager',
      name: state.name,
      ...scope,
      instanceTemplate: `${SELF}${state.template}`,
      versions: [{ name: 'rf', instanceTemplate: `${SELF}${state.template}` }],
      targetSize: state.targetSize,
      currentActions: {
        none: state.stable ? state.targetSize : 0,
        creating: state.stable ? 0 : 1,
        recreating: 0,
      },
      status: { isStable: state.stable, versionTarget: { isReached: state.stable } },
      ...(state.updatePolicy === undefined ? {} : { updatePolicy: state.updatePolicy }),
    };
  }

  /** One error per page, so a client that ignores `nextPageToken` misses some. */
  private listErrors(state: FakeMig, request: ScriptedRequest): ScriptedResponse {
    const start = Number(request.query['pageToken'] ?? '0');
    const item = state.errors[start];
    return {
      status: 200,
      body: {
        items:
          item === undefined
            ? []
            : [
                {
                  error: { code: item.code, message: item.message },
                  timestamp: item.timestamp,
                  instanceActionDetails: {
                    action: 'CREATING',
                    instance: item.instance,
                    version: { name: 'rf', instanceTemplate: `${SELF}${item.template}` },
                  },
                },
              ],
        ...(start + 1 < state.errors.length ? { nextPageToken: String(start + 1) } : {}),
      },
    };
  }

  private started(
    scope: string,
    operationType: string,
    target: string,
    complete: () => void,
  ): ScriptedResponse {
    const name = `operation-${Date.now()}-${++this.sequence}`;
    const operation: FakeOperation = {
      name,
      scope,
      operationType,
      targetLink: `${SELF}${target}`,
      waitsLeft: 1,
      complete,
      done: false,
      insertTime: new Date().toISOString(),
    };
    this.operations.set(name, operation);
    return { status: 200, body: this.operationBody(operation) };
  }

  /** `wait` returns when the operation is done or after a while (here: one step); `get` only reads. */
  private operation(name: string, wait: boolean): ScriptedResponse {
    const operation = this.operations.get(name);
    if (operation === undefined)
      return googleError(404, 'notFound', `The resource 'operations/${name}' was not found`);
    if (wait && !operation.done) {
      operation.waitsLeft -= 1;
      if (operation.waitsLeft <= 0) {
        operation.done = true;
        operation.complete();
      }
    }
    return { status: 200, body: this.operationBody(operation) };
  }

  private operationBody(operation: FakeOperation): Record<string, unknown> {
    const scoped = /^projects\/[^/]+\/(zones|regions)\/([^/]+)$/u.exec(operation.scope);
    return {
      kind: 'compute#operation',
      id: String(1_000_000 + this.sequence),
      name: operation.name,
      operationType: operation.operationType,
      targetLink: operation.targetLink,
      status: operation.done ? 'DONE' : 'RUNNING',
      progress: operation.done ? 100 : 0,
      insertTime: operation.insertTime,
      startTime: operation.insertTime,
      ...(operation.done ? { endTime: new Date().toISOString() } : {}),
      ...(scoped === null
        ? {}
        : { [scoped[1] === 'zones' ? 'zone' : 'region']: `${SELF}${operation.scope}` }),
      selfLink: `${SELF}${operation.scope}/operations/${operation.name}`,
    };
  }

  private imageOf(templatePath: string): string {
    const template = this.templates.get(templatePath) as
      | { properties?: { disks?: { boot?: boolean; initializeParams?: { sourceImage?: string } }[] } }
      | undefined;
    return template?.properties?.disks?.find((d) => d.boot === true)?.initializeParams?.sourceImage ?? '';
  }
}
