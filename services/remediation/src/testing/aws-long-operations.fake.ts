import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback peer for the AWS calls moto does not implement, speaking their documented wire
 * protocols so the real SDK clients drive it:
 * - Auto Scaling (query protocol, XML, API 2011-01-01): DescribeAutoScalingGroups,
 *   StartInstanceRefresh, DescribeInstanceRefreshes;
 * - EC2 (EC2 query protocol, API 2016-11-15): CreateReplaceRootVolumeTask,
 *   DescribeReplaceRootVolumeTasks;
 * - SSM (JSON 1.1, `X-Amz-Target: AmazonSSM.*`): StartAutomationExecution, GetAutomationExecution,
 *   DescribeAutomationExecutions.
 * Lists page at `pageSize` (NextToken), a chosen action can be throttled as AWS does (`Throttling`,
 * `RequestLimitExceeded`, `ThrottlingException`), and each long-running operation moves one state
 * per read of it: pending → in progress → done.
 */
export class AwsLongOperationsFake {
  /** Every request, as `<service>:<Action>`. */
  readonly calls: string[] = [];
  readonly groups = new Map<string, FakeGroup>();
  readonly refreshes: FakeRefresh[] = [];
  readonly rootVolumeTasks: FakeRootVolumeTask[] = [];
  readonly automations: FakeAutomation[] = [];
  /** Instances whose next root-volume task or automation ends failed. */
  readonly failingInstances = new Set<string>();
  /** Groups whose next instance refresh ends failed. */
  readonly failingGroups = new Set<string>();
  private readonly throttled = new Map<string, number>();
  private server: Server | undefined;

  constructor(readonly pageSize = 2) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the fake is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.server ? this.server.close((e) => (e ? reject(e) : resolve())) : resolve(),
    );
  }

  /** The next `times` requests of `service:Action` are throttled. */
  throttle(call: string, times: number): void {
    this.throttled.set(call, times);
  }

  count(call: string): number {
    return this.calls.filter((c) => c === call).length;
  }

  addGroup(group: Omit<FakeGroup, 'createdTime'>): void {
    this.groups.set(group.name, { ...group, createdTime: new Date() });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const service =
      /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//u.exec(req.headers.authorization ?? '')?.[1] ?? '';
    try {
      if (service === 'ssm') {
        const target = String(req.headers['x-amz-target'] ?? '').replace('AmazonSSM.', '');
        this.calls.push(`ssm:${target}`);
        if (this.takeThrottle(`ssm:${target}`)) {
          json(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
          return;
        }
        json(res, 200, this.ssm(target, JSON.parse(body || '{}') as Record<string, unknown>));
        return;
      }
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      this.calls.push(`${service}:${action}`);
      if (service === 'autoscaling') {
        if (this.takeThrottle(`autoscaling:${action}`)) {
          xml(res, 400, queryError('Throttling', 'Rate exceeded'));
          return;
        }
        xml(res, 200, this.autoScaling(action, params));
        return;
      }
      if (service === 'ec2') {
        if (this.takeThrottle(`ec2:${action}`)) {
          xml(res, 503, ec2Error('RequestLimitExceeded', 'Request limit exceeded.'));
          return;
        }
        xml(res, 200, this.ec2(action, params));
        return;
      }
      throw new FakeFault(400, 'UnrecognizedClientException', `no service ${service}`);
    } catch (error: unknown) {
      const fault = error instanceof FakeFault ? error : new FakeFault(500, 'InternalFailure', String(error));
      if (service === 'ssm') {
        json(res, fault.status, { __type: fault.code, message: fault.message });
        return;
      }
      if (service === 'ec2') {
        xml(res, fault.status, ec2Error(fault.code, fault.message));
        return;
      }
      xml(res, fault.status, queryError(fault.code, fault.message));
      return;
    }
  }

  private takeThrottle(call: string): boolean {
    const left = this.throttled.get(call) ?? 0;
    if (left <= 0) return false;
    this.throttled.set(call, left - 1);
    return true;
  }

  private page<T>(
    items: readonly T[],
    token: string | null,
    max: number | undefined,
  ): { items: T[]; next?: string } {
    const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) : 0;
    const size = Math.min(this.pageSize, max ?? this.pageSize);
    const end = start + size;
    return {
      items: items.slice(start, end),
      ...(end < items.length ? { next: Buffer.from(String(end)).toString('base64') } : {}),
    };
  }

  // ---- Auto Scaling --------------------------------------------------------------------------

  private autoScaling(action: string, p: URLSearchParams): string {
    switch (action) {
      case 'DescribeAutoScalingGroups': {
        const names = members(p, 'AutoScalingGroupNames.member');
        const filters = queryFilters(p, 'Filters.member', 'Values.member');
        const groups = [...this.groups.values()].filter(
          (g) =>
            (names.length === 0 || names.includes(g.name)) &&
            filters.every(({ name, values }) => {
              const key = name.startsWith('tag:') ? name.slice(4) : undefined;
              return key !== undefined && values.includes(g.tags[key] ?? '\u0000');
            }),
        );
        const page = this.page(groups, p.get('NextToken'), numberOf(p.get('MaxRecords')));
        return queryResponse(
          action,
          `<AutoScalingGroups>${page.items.map(groupXml).join('')}</AutoScalingGroups>${nextTokenXml(page.next, 'NextToken')}`,
        );
      }
      case 'StartInstanceRefresh': {
        const name = p.get('AutoScalingGroupName') ?? '';
        const group = this.groups.get(name);
        if (!group) throw new FakeFault(400, 'ValidationError', `AutoScalingGroup name not found - ${name}`);
        if (
          this.refreshes.some(
            (r) =>
              r.group === name &&
              r.status !== 'Successful' &&
              r.status !== 'Failed' &&
              r.status !== 'Cancelled',
          )
        ) {
          throw new FakeFault(
            400,
            'InstanceRefreshInProgress',
            `An Instance Refresh is already in progress for ${name}`,
          );
        }
        const refresh: FakeRefresh = {
          id: randomUUID(),
          group: name,
          status: 'Pending',
          percentage: 0,
          startTime: new Date(),
          minHealthyPercentage: numberOf(p.get('Preferences.MinHealthyPercentage')) ?? 90,
          launchTemplateId:
            p.get('DesiredConfiguration.LaunchTemplate.LaunchTemplateId') ?? group.launchTemplateId,
          version: p.get('DesiredConfiguration.LaunchTemplate.Version') ?? group.version,
          fails: this.failingGroups.delete(name),
        };
        this.refreshes.push(refresh);
        return queryResponse(action, `<InstanceRefreshId>${refresh.id}</InstanceRefreshId>`);
      }
      case 'DescribeInstanceRefreshes': {
        const name = p.get('AutoScalingGroupName') ?? '';
        const ids = members(p, 'InstanceRefreshIds.member');
        const matching = this.refreshes
          .filter((r) => r.group === name && (ids.length === 0 || ids.includes(r.id)))
          .sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
        // Reading one refresh by id is how a caller waits for it: it moves on by one step.
        if (ids.length > 0) for (const r of matching) this.advanceRefresh(r);
        const page = this.page(matching, p.get('NextToken'), numberOf(p.get('MaxRecords')));
        return queryResponse(
          action,
          `<InstanceRefreshes>${page.items.map(refreshXml).join('')}</InstanceRefreshes>${nextTokenXml(page.next, 'NextToken')}`,
        );
      }
      default:
        throw new FakeFault(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  }

  private advanceRefresh(r: FakeRefresh): void {
    if (r.status === 'Pending') {
      r.status = 'InProgress';
      r.percentage = 50;
    } else if (r.status === 'InProgress') {
      r.endTime = new Date();
      if (r.fails) {
        r.status = 'Failed';
        r.statusReason = 'Instances failed to pass their health checks';
      } else {
        r.status = 'Successful';
        r.percentage = 100;
        const group = this.groups.get(r.group);
        if (group) {
          group.launchTemplateId = r.launchTemplateId;
          group.version = r.version;
        }
      }
    }
  }

  // ---- EC2 -----------------------------------------------------------------------------------

  private ec2(action: string, p: URLSearchParams): string {
    switch (action) {
      case 'CreateReplaceRootVolumeTask': {
        const token = p.get('ClientToken');
        const instanceId = p.get('InstanceId') ?? '';
        const again = token ? this.rootVolumeTasks.find((t) => t.clientToken === token) : undefined;
        if (again)
          return ec2Response(action, `<replaceRootVolumeTask>${taskXml(again)}</replaceRootVolumeTask>`);
        if (!/^i-[0-9a-f]+$/u.test(instanceId)) {
          throw new FakeFault(400, 'InvalidInstanceID.Malformed', `Invalid id: "${instanceId}"`);
        }
        const tags: Record<string, string> = {};
        for (let i = 1; p.has(`TagSpecification.1.Tag.${i}.Key`); i++) {
          tags[p.get(`TagSpecification.1.Tag.${i}.Key`) ?? ''] =
            p.get(`TagSpecification.1.Tag.${i}.Value`) ?? '';
        }
        const task: FakeRootVolumeTask = {
          id: `replacevol-${randomUUID().replaceAll('-', '').slice(0, 17)}`,
          instanceId,
          imageId: p.get('ImageId') ?? '',
          state: 'pending',
          startTime: new Date(),
          tags,
          ...(token ? { clientToken: token } : {}),
          fails: this.failingInstances.delete(instanceId),
        };
        this.rootVolumeTasks.push(task);
        return ec2Response(action, `<replaceRootVolumeTask>${taskXml(task)}</replaceRootVolumeTask>`);
      }
      case 'DescribeReplaceRootVolumeTasks': {
        const ids = members(p, 'ReplaceRootVolumeTaskId');
        const filters = queryFilters(p, 'Filter', 'Value');
        const matching = this.rootVolumeTasks.filter(
          (t) =>
            (ids.length === 0 || ids.includes(t.id)) &&
            filters.every(({ name, values }) => name === 'instance-id' && values.includes(t.instanceId)),
        );
        if (ids.length > 0) for (const t of matching) advanceTask(t);
        const page = this.page(matching, p.get('NextToken'), numberOf(p.get('MaxResults')));
        return ec2Response(
          action,
          `<replaceRootVolumeTaskSet>${page.items.map((t) => `<item>${taskXml(t)}</item>`).join('')}</replaceRootVolumeTaskSet>${nextTokenXml(page.next, 'nextToken')}`,
        );
      }
      default:
        throw new FakeFault(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  }

  // ---- SSM -----------------------------------------------------------------------------------

  private ssm(target: string, input: Record<string, unknown>): unknown {
    switch (target) {
      case 'StartAutomationExecution': {
        const token = typeof input['ClientToken'] === 'string' ? input['ClientToken'] : undefined;
        const again = token ? this.automations.find((a) => a.clientToken === token) : undefined;
        if (again) return { AutomationExecutionId: again.id };
        const parameters = (input['Parameters'] ?? {}) as Record<string, string[]>;
        const tags = ((input['Tags'] ?? []) as { Key: string; Value: string }[]).map((t) => t.Key);
        const execution: FakeAutomation = {
          id: randomUUID(),
          documentName: typeof input['DocumentName'] === 'string' ? input['DocumentName'] : '',
          parameters,
          tagKeys: tags,
          status: 'Pending',
          startTime: new Date(),
          ...(token ? { clientToken: token } : {}),
          fails: Object.values(parameters)
            .flat()
            .some((v) => this.failingInstances.delete(v)),
        };
        this.automations.push(execution);
        return { AutomationExecutionId: execution.id };
      }
      case 'GetAutomationExecution': {
        const execution = this.automations.find((a) => a.id === input['AutomationExecutionId']);
        if (!execution) {
          throw new FakeFault(
            400,
            'AutomationExecutionNotFoundException',
            'There is no automation execution with this id',
          );
        }
        advanceAutomation(execution);
        return {
          AutomationExecution: {
            AutomationExecutionId: execution.id,
            DocumentName: execution.documentName,
            AutomationExecutionStatus: execution.status,
            ExecutionStartTime: execution.startTime.getTime() / 1000,
            Parameters: execution.parameters,
            ...(execution.failureMessage ? { FailureMessage: execution.failureMessage } : {}),
          },
        };
      }
      case 'DescribeAutomationExecutions': {
        const filters = (input['Filters'] ?? []) as { Key: string; Values: string[] }[];
        const matching = this.automations.filter((a) =>
          filters.every((f) => f.Key === 'TagKey' && f.Values.some((v) => a.tagKeys.includes(v))),
        );
        const page = this.page(
          matching,
          typeof input['NextToken'] === 'string' ? input['NextToken'] : null,
          typeof input['MaxResults'] === 'number' ? input['MaxResults'] : undefined,
        );
        return {
          AutomationExecutionMetadataList: page.items.map((a) => ({
            AutomationExecutionId: a.id,
            DocumentName: a.documentName,
            AutomationExecutionStatus: a.status,
            ExecutionStartTime: a.startTime.getTime() / 1000,
          })),
          ...(page.next ? { NextToken: page.next } : {}),
        };
      }
      default:
        throw new FakeFault(400, 'InvalidAction', `${target} is not an AmazonSSM operation`);
    }
  }
}

export interface FakeGroup {
  readonly name: string;
  launchTemplateId: string;
  version: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdTime: Date;
}

export interface FakeRefresh {
  readonly id: string;
  readonly group: string;
  status: 'Pending' | 'InProgress' | 'Successful' | 'Failed' | 'Cancelled';
  statusReason?: string;
  percentage: number;
  readonly startTime: Date;
  endTime?: Date;
  readonly minHealthyPercentage: number;
  readonly launchTemplateId: string;
  readonly version: string;
  readonly fails: boolean;
}

export interface FakeRootVolumeTask {
  readonly id: string;
  readonly instanceId: string;
  readonly imageId: string;
  state: 'pending' | 'in-progress' | 'succeeded' | 'failed';
  readonly startTime: Date;
  completeTime?: Date;
  readonly tags: Readonly<Record<string, string>>;
  readonly clientToken?: string;
  readonly fails: boolean;
}

export interface FakeAutomation {
  readonly id: string;
  readonly documentName: string;
  readonly parameters: Readonly<Record<string, string[]>>;
  readonly tagKeys: readonly string[];
  status: 'Pending' | 'InProgress' | 'Success' | 'Failed';
  failureMessage?: string;
  readonly startTime: Date;
  readonly clientToken?: string;
  readonly fails: boolean;
}

class FakeFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function advanceTask(t: FakeRootVolumeTask): void {
  if (t.state === 'pending') t.state = 'in-progress';
  else if (t.state === 'in-progress') {
    t.state = t.fails ? 'failed' : 'succeeded';
    t.completeTime = new Date();
  }
}

function advanceAutomation(a: FakeAutomation): void {
  if (a.status === 'Pending') a.status = 'InProgress';
  else if (a.status === 'InProgress') {
    a.status = a.fails ? 'Failed' : 'Success';
    if (a.fails) a.failureMessage = 'Step fails when it is Executing. Fail the step.';
  }
}

function members(p: URLSearchParams, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; p.has(`${prefix}.${i}`); i++) out.push(p.get(`${prefix}.${i}`) ?? '');
  return out;
}

function queryFilters(
  p: URLSearchParams,
  prefix: string,
  valuePrefix: string,
): { name: string; values: string[] }[] {
  const out: { name: string; values: string[] }[] = [];
  for (let i = 1; p.has(`${prefix}.${i}.Name`); i++) {
    out.push({
      name: p.get(`${prefix}.${i}.Name`) ?? '',
      values: members(p, `${prefix}.${i}.${valuePrefix}`),
    });
  }
  return out;
}

function numberOf(value: string | null): number | undefined {
  return value === null ? undefined : Number(value);
}

function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function nextTokenXml(token: string | undefined, element: string): string {
  return token ? `<${element}>${token}</${element}>` : '';
}

const AUTOSCALING_NS = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';
const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

function queryResponse(action: string, result: string): string {
  return (
    `<?xml version="1.0"?><${action}Response xmlns="${AUTOSCALING_NS}"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
  );
}

function queryError(code: string, message: string): string {
  return (
    `<?xml version="1.0"?><ErrorResponse xmlns="${AUTOSCALING_NS}"><Error><Type>Sender</Type>` +
    `<Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

function ec2Response(action: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${EC2_NS}"><requestId>${randomUUID()}</requestId>${body}</${action}Response>`;
}

function ec2Error(code: string, message: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${esc(code)}</Code>` +
    `<Message>${esc(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`
  );
}

function groupXml(g: FakeGroup): string {
  return (
    `<member><AutoScalingGroupName>${esc(g.name)}</AutoScalingGroupName>` +
    `<AutoScalingGroupARN>arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:${randomUUID()}:autoScalingGroupName/${esc(g.name)}</AutoScalingGroupARN>` +
    `<LaunchTemplate><LaunchTemplateId>${esc(g.launchTemplateId)}</LaunchTemplateId><Version>${esc(g.version)}</Version></LaunchTemplate>` +
    '<MinSize>1</MinSize><MaxSize>4</MaxSize><DesiredCapacity>2</DesiredCapacity><DefaultCooldown>300</DefaultCooldown>' +
    '<AvailabilityZones><member>us-east-1a</member></AvailabilityZones><HealthCheckType>EC2</HealthCheckType>' +
    `<CreatedTime>${g.createdTime.toISOString()}</CreatedTime><Tags>` +
    Object.entries(g.tags)
      .map(
        ([k, v]) =>
          `<member><ResourceId>${esc(g.name)}</ResourceId><ResourceType>auto-scaling-group</ResourceType>` +
          `<Key>${esc(k)}</Key><Value>${esc(v)}</Value><PropagateAtLaunch>false</PropagateAtLaunch></member>`,
      )
      .join('') +
    '</Tags></member>'
  );
}

function refreshXml(r: FakeRefresh): string {
  return (
    `<member><InstanceRefreshId>${r.id}</InstanceRefreshId><AutoScalingGroupName>${esc(r.group)}</AutoScalingGroupName>` +
    `<Status>${r.status}</Status>${r.statusReason ? `<StatusReason>${esc(r.statusReason)}</StatusReason>` : ''}` +
    `<StartTime>${r.startTime.toISOString()}</StartTime>${r.endTime ? `<EndTime>${r.endTime.toISOString()}</EndTime>` : ''}` +
    `<PercentageComplete>${r.percentage}</PercentageComplete><InstancesToUpdate>${r.status === 'Successful' ? 0 : 2}</InstancesToUpdate>` +
    `<Preferences><MinHealthyPercentage>${r.minHealthyPercentage}</MinHealthyPercentage></Preferences>` +
    `<DesiredConfiguration><LaunchTemplate><LaunchTemplateId>${esc(r.launchTemplateId)}</LaunchTemplateId>` +
    `<Version>${esc(r.version)}</Version></LaunchTemplate></DesiredConfiguration></member>`
  );
}

function taskXml(t: FakeRootVolumeTask): string {
  return (
    `<replaceRootVolumeTaskId>${t.id}</replaceRootVolumeTaskId><instanceId>${t.instanceId}</instanceId>` +
    `<taskState>${t.state}</taskState><startTime>${t.startTime.toISOString()}</startTime>` +
    (t.completeTime ? `<completeTime>${t.completeTime.toISOString()}</completeTime>` : '') +
    `<imageId>${esc(t.imageId)}</imageId><deleteReplacedRootVolume>false</deleteReplacedRootVolume><tagSet>` +
    Object.entries(t.tags)
      .map(([k, v]) => `<item><key>${esc(k)}</key><value>${esc(v)}</value></item>`)
      .join('') +
    '</tagSet>'
  );
}

function xml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': randomUUID() });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
  res.end(JSON.stringify(body));
}
