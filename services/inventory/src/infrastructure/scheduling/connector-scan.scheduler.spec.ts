import { Logger } from '@nestjs/common';
import {
  entrypointOf,
  InMemoryDecisionRecorder,
  POLICIES,
  PolicyGate,
  type WasmPolicy,
} from '@rf/platform-policy';
import { generateKeyPairSync, sign } from 'node:crypto';
import type { StartScanCommand } from '../../application/commands/start-scan/start-scan.command';
import type { StartScanHandler } from '../../application/commands/start-scan/start-scan.handler';
import type {
  ConnectorConfigurationRepository,
  SchedulableConnector,
} from '../../application/ports/connector-configuration.repository.port';
import type { ConnectorConfiguration } from '../../domain/connector/connector-configuration.entity';
import { InventoryError } from '../../domain/inventory.error';
import { ConnectorScanScheduler } from './connector-scan.scheduler';

function configuration(id: string, schedule: string, updatedAt: string): ConnectorConfiguration {
  return {
    id,
    organisation: `org-of-${id}`,
    kind: 'simulated',
    name: id,
    settings: {},
    credentials: {},
    schedule,
    enabled: true,
    createdAt: new Date(updatedAt),
    updatedAt: new Date(updatedAt),
  };
}

/** Only the two calls the scheduler may make; anything else fails the test. */
class ScheduleStore implements Pick<ConnectorConfigurationRepository, 'schedulable' | 'claimSlot'> {
  readonly claims: string[] = [];
  constructor(private readonly rows: SchedulableConnector[]) {}

  schedulable(): Promise<SchedulableConnector[]> {
    return Promise.resolve(this.rows);
  }

  claimSlot(id: string, slot: Date): Promise<boolean> {
    const row = this.rows.find((r) => r.configuration.id === id);
    if (!row || (row.scheduledSlot !== null && row.scheduledSlot >= slot)) return Promise.resolve(false);
    this.rows[this.rows.indexOf(row)] = { ...row, scheduledSlot: slot };
    this.claims.push(`${id}@${slot.toISOString()}`);
    return Promise.resolve(true);
  }
}

/** A mock that fails on any member it was not given. */
function strictMock<T extends object>(members: Partial<T>): T {
  return new Proxy(members, {
    get(target, key) {
      if (key in target) return Reflect.get(target, key) as unknown;
      if (key === 'then') return undefined;
      throw new Error(`unexpected call ${String(key)}`);
    },
  }) as T;
}

interface AuthzInput {
  readonly resource?: { readonly org: string };
}

/** A gate in prod mode whose rf.authz answers `allow`, and the decisions it records. */
async function gateAllowing(allow: (input: AuthzInput) => boolean) {
  const policy: WasmPolicy = {
    bundleHash: 'a'.repeat(64),
    entrypoints: [entrypointOf(POLICIES.authz)],
    evaluate: (_e, input) => ({ allow: allow(input as AuthzInput), reasons: [] }),
    evaluateJson: (_e, json) => ({ allow: allow(JSON.parse(json) as AuthzInput), reasons: [] }),
  };
  const recorder = new InMemoryDecisionRecorder();
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const gate = new PolicyGate({
    service: 'inventory',
    mode: 'prod',
    publicKey,
    recorder,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    bundleLoader: () => Promise.resolve(policy),
  });
  const bundle = Buffer.from('bundle');
  await gate.loadBundle(bundle, sign(null, bundle, privateKey));
  return { gate, recorder };
}

async function scheduler(
  store: ScheduleStore,
  now: () => string,
  start: (c: StartScanCommand) => Promise<unknown>,
  gate?: PolicyGate,
): Promise<ConnectorScanScheduler> {
  const repository = strictMock<ConnectorConfigurationRepository>({
    schedulable: () => store.schedulable(),
    claimSlot: (id, slot) => store.claimSlot(id, slot),
  });
  const handler = strictMock<StartScanHandler>({ execute: start as StartScanHandler['execute'] });
  return new ConnectorScanScheduler(
    repository,
    handler,
    { now: () => new Date(now()) },
    { enabled: true, tickMs: 1000 },
    gate ?? (await gateAllowing(() => true)).gate,
  );
}

describe('ConnectorScanScheduler', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  it('starts each due slot once, only the latest after downtime, and nothing between slots', async () => {
    const store = new ScheduleStore([
      { configuration: configuration('hourly', '0 * * * *', '2026-01-01T00:30:00Z'), scheduledSlot: null },
      {
        configuration: configuration('quarterly', '*/15 * * * *', '2026-01-01T00:00:00Z'),
        scheduledSlot: null,
      },
    ]);
    let now = '2026-01-01T03:20:00Z';
    const started: string[] = [];
    const s = await scheduler(
      store,
      () => now,
      (command) => {
        // A scheduled scan runs in its connector's organisation.
        started.push(`${command.organisation}:${command.connectorId}/${command.trigger}`);
        return Promise.resolve({ scanId: 'x' });
      },
    );

    expect(await s.tick()).toEqual(['hourly', 'quarterly']);
    expect(store.claims).toEqual(['hourly@2026-01-01T03:00:00.000Z', 'quarterly@2026-01-01T03:15:00.000Z']);
    expect(started).toEqual(['org-of-hourly:hourly/scheduled', 'org-of-quarterly:quarterly/scheduled']);

    now = '2026-01-01T03:29:59Z';
    expect(await s.tick()).toEqual([]);
    now = '2026-01-01T03:30:00Z';
    expect(await s.tick()).toEqual(['quarterly']);
  });

  it('does not count a slot whose scan was refused as started, and survives failures', async () => {
    const store = new ScheduleStore([
      { configuration: configuration('busy', '* * * * *', '2026-01-01T00:00:00Z'), scheduledSlot: null },
      { configuration: configuration('broken', 'not a cron', '2026-01-01T00:00:00Z'), scheduledSlot: null },
    ]);
    const s = await scheduler(
      store,
      () => '2026-01-01T00:05:00Z',
      () => Promise.reject(new InventoryError('INVENTORY.SCAN_ALREADY_RUNNING', 'busy')),
    );
    expect(await s.tick()).toEqual([]);
    expect(store.claims).toEqual(['busy@2026-01-01T00:05:00.000Z']);
  });

  it('decides each slot as the connector schedule in its organisation, and starts no scan it refuses', async () => {
    const store = new ScheduleStore([
      { configuration: configuration('allowed', '* * * * *', '2026-01-01T00:00:00Z'), scheduledSlot: null },
      { configuration: configuration('frozen', '* * * * *', '2026-01-01T00:00:00Z'), scheduledSlot: null },
    ]);
    const { gate, recorder } = await gateAllowing((input) => input.resource?.org !== 'org-of-frozen');
    const started: string[] = [];
    const s = await scheduler(
      store,
      () => '2026-01-01T00:05:00Z',
      (command) => {
        started.push(command.connectorId);
        return Promise.resolve({ scanId: 'x' });
      },
      gate,
    );
    expect(await s.tick()).toEqual(['allowed']);
    expect(started).toEqual(['allowed']);
    expect(
      recorder.decisions.map((d) => [d.action, d.actor, d.result, recorder.organisations.get(d.decisionId)]),
    ).toEqual([
      ['scan.run', { kind: 'schedule', id: 'connector-schedule:allowed' }, 'allow', 'org-of-allowed'],
      ['scan.run', { kind: 'schedule', id: 'connector-schedule:frozen' }, 'deny', 'org-of-frozen'],
    ]);
  });
});
