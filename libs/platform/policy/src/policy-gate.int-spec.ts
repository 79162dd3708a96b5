import { stackEndpoints } from '@rf/platform-testing';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildAuthorizationRequest } from './authorization-input.builder';
import { BundleFileWatcher } from './bundle-file.watcher';
import { InMemoryDecisionRecorder } from './in-memory.decision-recorder';
import { POLICIES, type PolicyName, type PolicyRequest } from './policy-decision.types';
import { entrypointOf, PolicyGate } from './policy-gate';
import { loadWasmBundle, type WasmPolicy } from './wasm-policy';

const POLICY_DIR = resolve(__dirname, '../../../../contracts/policies');
const BUILD = join(POLICY_DIR, 'build.sh');
const opa = stackEndpoints().opaBin;
const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };

interface Scenario {
  readonly name: string;
  readonly policy: PolicyName;
  readonly action: string;
  readonly input: Record<string, unknown>;
  readonly result: 'allow' | 'deny' | 'needs_approval';
  readonly reasons?: readonly string[];
  readonly exception?: string;
}

const NOW = '2025-11-25T22:30:00Z'; // Tuesday 23:30 at +01:00
const scope = { org: 'acme', project: 'payments', env: 'prod' };
const engineer = {
  kind: 'user',
  id: 'u-eng',
  grants: [{ role: 'engineer', org: 'acme', project: 'payments' }],
};
// rf.remediation reads times as numbers (milliseconds, minutes of the day), as remediation builds them.
const prodEnvironment = {
  name: 'prod',
  local: { weekday: 'tue', minute: 23 * 60 + 30 },
  changeWindows: [{ days: ['mon', 'tue', 'wed', 'thu'], start: 22 * 60, end: 4 * 60 }],
  businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: 9 * 60, end: 17 * 60 },
  freezes: [
    {
      name: 'black-friday',
      start: Date.parse('2025-11-27T00:00:00Z'),
      end: Date.parse('2025-12-02T00:00:00Z'),
      until: '2025-12-02T00:00:00Z',
    },
  ],
};
/** The input at `now`, `weekday` and `minute` being `now` at +01:00. */
const remediation = (
  patch: Record<string, unknown>,
  at: { now: string; weekday: string; minute: number } = { now: NOW, weekday: 'tue', minute: 23 * 60 + 30 },
) => ({
  now: Date.parse(at.now),
  action: 'remediation.start',
  autonomyLevel: 4,
  plan: { id: 'p-1', riskScore: 30 },
  wave: { index: 0, assets: 5 },
  fleet: { size: 200 },
  environment: { ...prodEnvironment, local: { weekday: at.weekday, minute: at.minute } },
  ...patch,
});
const thursdayNight = { now: '2025-11-27T22:30:00Z', weekday: 'thu', minute: 23 * 60 + 30 };
const image = {
  family: 'ubuntu-22-04-base',
  version: '2025.10.14',
  signature: { verified: true },
  sbom: { present: true, format: 'spdx-2.3' },
  cis: { level: 2, score: 94 },
};
const evidence = {
  scan: { status: 'clean', completedAt: '2025-11-24T09:00:00Z' },
  sbom: { valid: true },
  loadTest: { status: 'passed', completedAt: '2025-11-20T09:00:00Z' },
};
const backup = { id: 'bk-1', status: 'completed', verified: true, ...scope };
const restore = (patch: Record<string, unknown>) => ({
  now: NOW,
  principal: engineer,
  backup,
  target: scope,
  environment: {
    freezes: [{ name: 'year-end', start: '2025-12-20T00:00:00Z', end: '2026-01-05T00:00:00Z' }],
  },
  ...patch,
});

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'authz: engineer starts a remediation in scope',
    policy: POLICIES.authz,
    action: 'remediation.start',
    input: {
      principal: engineer,
      action: 'remediation.start',
      resource: { kind: 'plan', id: 'p-1', ...scope },
      now: NOW,
    },
    result: 'allow',
  },
  {
    name: 'authz: viewer may not',
    policy: POLICIES.authz,
    action: 'remediation.start',
    input: {
      principal: { id: 'u-v', grants: [{ role: 'viewer', org: 'acme' }] },
      action: 'remediation.start',
      resource: { kind: 'plan', id: 'p-1', ...scope },
      now: NOW,
    },
    result: 'deny',
    reasons: ["no role grants remediation.start in the resource's scope (needs engineer)"],
  },
  {
    name: 'authz: four-eyes',
    policy: POLICIES.authz,
    action: 'remediation.approve',
    input: {
      principal: engineer,
      action: 'remediation.approve',
      resource: { kind: 'plan', id: 'p-1', ...scope, requestedBy: 'u-eng' },
      now: NOW,
    },
    result: 'deny',
    reasons: ['four-eyes: the requester of a change may not approve it'],
  },
  {
    name: 'remediation: low risk runs on its own',
    policy: POLICIES.remediation,
    action: 'remediation.start',
    input: remediation({}),
    result: 'allow',
    reasons: [
      'risk 30 is within the auto-approval limit of 40 for autonomy level 3 (level 4, one lower outside business hours) in prod',
    ],
  },
  {
    name: 'remediation: higher risk needs approval',
    policy: POLICIES.remediation,
    action: 'remediation.start',
    input: remediation({ plan: { id: 'p-1', riskScore: 55 } }),
    result: 'needs_approval',
  },
  {
    name: 'remediation: critical risk is refused',
    policy: POLICIES.remediation,
    action: 'remediation.start',
    input: remediation({ plan: { id: 'p-1', riskScore: 95 }, autonomyLevel: 5 }),
    result: 'deny',
    reasons: ['risk 95 is critical (at least 90): split the plan into smaller waves'],
  },
  {
    name: 'remediation: blast radius',
    policy: POLICIES.remediation,
    action: 'remediation.start',
    input: remediation({ wave: { index: 1, assets: 30 }, fleet: { size: 1000 } }),
    result: 'deny',
    reasons: ['wave of 30 assets exceeds the prod limit of 25 per wave'],
  },
  {
    name: 'remediation: outside the change window',
    policy: POLICIES.remediation,
    action: 'remediation.start',
    input: remediation({}, { now: '2025-11-25T13:00:00Z', weekday: 'tue', minute: 14 * 60 }),
    result: 'deny',
    reasons: ['outside the change windows of prod'],
  },
  {
    name: 'remediation: freeze',
    policy: POLICIES.remediation,
    action: 'remediation.start',
    input: remediation({}, thursdayNight),
    result: 'deny',
    reasons: ["change freeze 'black-friday' is in effect until 2025-12-02T00:00:00Z"],
  },
  {
    name: 'remediation: freeze waived by a live exception',
    policy: POLICIES.remediation,
    action: 'remediation.start',
    input: remediation(
      { exceptions: [{ ticket: 'EXC-1042', expiresAt: '2025-11-28T00:00:00Z', policy: 'rf.remediation' }] },
      thursdayNight,
    ),
    result: 'allow',
    exception: 'EXC-1042',
  },
  {
    name: 'remediation: an expired exception waives nothing',
    policy: POLICIES.remediation,
    action: 'remediation.start',
    input: remediation(
      { exceptions: [{ ticket: 'EXC-1041', expiresAt: '2025-11-27T22:00:00Z' }] },
      thursdayNight,
    ),
    result: 'deny',
  },
  {
    name: 'image promotion: compliant image reaches prod',
    policy: POLICIES.imagePromotion,
    action: 'image.promote',
    input: { now: NOW, from: 'staging', to: 'prod', image },
    result: 'allow',
  },
  {
    name: 'image promotion: unsigned image stays out of prod',
    policy: POLICIES.imagePromotion,
    action: 'image.promote',
    input: { now: NOW, from: 'staging', to: 'prod', image: { ...image, signature: { verified: false } } },
    result: 'deny',
    reasons: ['image signature is not verified; prod requires a verified signature'],
  },
  {
    name: 'image promotion: CIS level 1 is not enough for prod',
    policy: POLICIES.imagePromotion,
    action: 'image.promote',
    input: { now: NOW, from: 'staging', to: 'prod', image: { ...image, cis: { level: 1, score: 94 } } },
    result: 'deny',
    reasons: ['CIS level 1 is below the level 2 that prod requires'],
  },
  {
    name: 'service mode: back to normal with evidence',
    policy: POLICIES.serviceMode,
    action: 'service.mode.change',
    input: {
      now: NOW,
      service: { name: 'payments-api', mode: 'maintenance' },
      targetMode: 'normal',
      evidence,
    },
    result: 'allow',
  },
  {
    name: 'service mode: blocked while a backup runs',
    policy: POLICIES.serviceMode,
    action: 'service.mode.change',
    input: {
      now: NOW,
      service: { name: 'payments-api', mode: 'normal' },
      targetMode: 'maintenance',
      activeOperations: [{ kind: 'backup', id: 'bk-7' }],
    },
    result: 'deny',
    reasons: ['transition blocked: a backup is running (bk-7)'],
  },
  {
    name: 'restore: engineer restores a verified backup',
    policy: POLICIES.restore,
    action: 'restore.start',
    input: restore({}),
    result: 'allow',
  },
  {
    name: 'restore: frozen without break-glass',
    policy: POLICIES.restore,
    action: 'restore.start',
    input: restore({ now: '2025-12-24T03:00:00Z' }),
    result: 'deny',
  },
  {
    name: 'restore: break-glass during a freeze',
    policy: POLICIES.restore,
    action: 'restore.start',
    input: restore({ now: '2025-12-24T03:00:00Z', breakGlass: { ticket: 'INC-4711' } }),
    result: 'allow',
    reasons: ["break-glass INC-4711: change freeze 'year-end' is in effect until 2026-01-05T00:00:00Z"],
  },
  {
    name: 'restore: target environment differs',
    policy: POLICIES.restore,
    action: 'restore.start',
    input: restore({ target: { ...scope, env: 'staging' } }),
    result: 'deny',
  },
];

/** Malformed and unusual inputs: the wasm build must fail the same way OPA does, never differently. */
const EDGE_CASES: readonly { readonly policy: PolicyName; readonly input: unknown }[] = [
  { policy: POLICIES.authz, input: {} },
  {
    policy: POLICIES.authz,
    input: { principal: 'root', action: 'drift.read', resource: { org: 'acme' }, now: 5 },
  },
  {
    policy: POLICIES.authz,
    input: {
      principal: {
        grants: [
          { role: 'admin', org: 'acme', expiresAt: '2025-13-01T00:00:00Z' },
          { role: 'viewer', org: 'acme', expiresAt: 7 },
        ],
      },
      action: 'apikey.manage',
      resource: { org: 'acme' },
      now: '2025-11-22T09:00:00+1',
    },
  },
  {
    policy: POLICIES.authz,
    input: { principal: { grants: 'admin' }, action: 5, resource: [], now: NOW, exceptions: 'EXC-1' },
  },
  { policy: POLICIES.remediation, input: {} },
  {
    policy: POLICIES.remediation,
    input: remediation({
      autonomyLevel: '3',
      plan: { riskScore: null },
      environment: {
        ...prodEnvironment,
        local: { weekday: 'tue', minute: 1440 },
        changeWindows: [{ days: 'mon', start: 9, end: '25:00' }],
      },
    }),
  },
  {
    policy: POLICIES.remediation,
    input: remediation({
      now: '2025-11-27T23:30:00.5+01:00',
      environment: {
        ...prodEnvironment,
        local: 'tue 23:30',
        freezes: ['x', {}, { start: 5, end: null }, { name: 7 }],
      },
      exceptions: [{ ticket: 'EXC-1', expiresAt: '2025-11-28T00:00:00.999Z' }, 'EXC-2', { ticket: 3 }],
    }),
  },
  {
    policy: POLICIES.remediation,
    input: remediation({ environment: 'prod', wave: { assets: -1 }, fleet: { size: 'all' } }),
  },
  { policy: POLICIES.imagePromotion, input: { to: 'prod', from: null, image: null } },
  {
    policy: POLICIES.imagePromotion,
    input: { to: 'dev', image: { cis: { level: '2', score: '99' }, sbom: { present: 'yes', format: 5 } } },
  },
  {
    policy: POLICIES.serviceMode,
    input: { now: NOW, service: 'api', targetMode: 5, activeOperations: [{ kind: 5 }, 'backup'] },
  },
  {
    policy: POLICIES.serviceMode,
    input: {
      now: NOW,
      service: { mode: 'degraded' },
      targetMode: 'normal',
      evidence: { scan: 'clean', loadTest: { status: 'passed', completedAt: 'yesterday' } },
    },
  },
  {
    policy: POLICIES.restore,
    input: { now: NOW, principal: [], backup: [], target: 'prod', breakGlass: 'INC-1' },
  },
  {
    policy: POLICIES.restore,
    input: restore({
      now: '2025-12-24T03:00:00Z',
      breakGlass: { ticket: 5 },
      environment: { freezes: [{ start: '2025-12-20', end: 5 }] },
    }),
  },
];

function build(output: string, ...flags: string[]): string {
  return execFileSync(BUILD, [...flags, output], { encoding: 'utf8' });
}

function committedBundleHash(): string {
  const line = readFileSync(join(POLICY_DIR, 'bundle.sha256'), 'utf8')
    .split('\n')
    .find((l) => l.endsWith('  bundle.tar.gz'));
  return line?.split(' ')[0] ?? '';
}

describe('policy bundle built with opa, evaluated by the gate', () => {
  let dir: string;
  let bundlePath: string;
  let bundle: Buffer;
  let signature: Buffer;
  let publicKeyPem: string;
  let wasm: WasmPolicy;
  let recorder: InMemoryDecisionRecorder;
  let gate: PolicyGate;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rf-policy-int-'));
    const keys = generateKeyPairSync('ed25519');
    publicKeyPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    writeFileSync(join(dir, 'signing.pem'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    bundlePath = join(dir, 'bundle.tar.gz');
    // --check: the committed bundle.sha256 must name what the committed Rego compiles to.
    build(bundlePath, '--check', '--sign', join(dir, 'signing.pem'));
    bundle = readFileSync(bundlePath);
    signature = readFileSync(`${bundlePath}.sig`);
    wasm = await loadWasmBundle(bundle);
  });

  beforeEach(async () => {
    recorder = new InMemoryDecisionRecorder();
    gate = new PolicyGate({
      service: 'remediation',
      mode: 'prod',
      publicKey: publicKeyPem,
      requiredEntrypoints: Object.values(POLICIES).map(entrypointOf),
      recorder,
      logger,
    });
    await expect(gate.loadBundle(bundle, signature)).resolves.toMatchObject({ ok: true });
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('the Rego sources', () => {
    it('pass opa test with at least 90% coverage', () => {
      const report = JSON.parse(
        execFileSync(opa, ['test', '.', '--coverage', '--format', 'json'], { cwd: POLICY_DIR }).toString(),
      ) as {
        coverage: number;
      };
      expect(report.coverage).toBeGreaterThanOrEqual(90);
      const results = JSON.parse(
        execFileSync(opa, ['test', '.', '--format', 'json'], { cwd: POLICY_DIR }).toString(),
      ) as {
        name: string;
        fail?: boolean;
        error?: unknown;
      }[];
      expect(results.length).toBeGreaterThan(100);
      expect(results.filter((r) => r.fail === true || r.error !== undefined)).toEqual([]);
    });

    it('are formatted and pass opa check --strict', () => {
      expect(execFileSync(opa, ['fmt', '-l', '.'], { cwd: POLICY_DIR, encoding: 'utf8' })).toBe('');
      expect(() =>
        execFileSync(opa, ['check', '--strict', '.'], { cwd: POLICY_DIR, stdio: 'pipe' }),
      ).not.toThrow();
    });
  });

  describe('the bundle', () => {
    it('is reproducible and is the one bundle.sha256 names', () => {
      const again = join(dir, 'again.tar.gz');
      build(again, '--check');
      expect(readFileSync(again).equals(bundle)).toBe(true);
      expect(gate.bundleHash).toBe(committedBundleHash());
    });

    it('has a decision entrypoint for every policy', () => {
      expect([...wasm.entrypoints].sort()).toEqual(Object.values(POLICIES).map(entrypointOf).sort());
    });
  });

  describe.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_, scenario) => {
    it(`decides ${scenario.result} and records a valid policy.decided`, async () => {
      const decision = await gate.decide({
        policy: scenario.policy,
        action: scenario.action,
        input: scenario.input,
      });
      expect(decision.error).toBeUndefined();
      expect(decision.result).toBe(scenario.result);
      expect(decision.permitted).toBe(scenario.result === 'allow');
      if (scenario.reasons) expect(decision.reasons).toEqual(scenario.reasons);
      expect(decision.exception?.ticket).toBe(scenario.exception);
      expect(recorder.last()).toMatchObject({
        decisionId: decision.decisionId,
        policy: scenario.policy,
        entrypoint: entrypointOf(scenario.policy),
        result: scenario.result,
        bundleHash: committedBundleHash(),
      });
    });
  });

  it('decides exactly as OPA itself (Go) on every scenario and edge case', () => {
    const all = [...SCENARIOS, ...EDGE_CASES];
    const cases = all.map((s) => ({ policy: s.policy.replace(/^rf\./, ''), input: s.input }));
    const out = execFileSync(
      opa,
      [
        'eval',
        '-d',
        '.',
        '--ignore',
        '*_test.rego',
        '--stdin-input',
        '-f',
        'json',
        '[d | some c in input.cases; i := c.input; p := c.policy; d := data.rf[p].decision with input as i]',
      ],
      { cwd: POLICY_DIR, input: JSON.stringify({ cases }) },
    );
    const go = (JSON.parse(out.toString()) as { result: { expressions: { value: unknown[] }[] }[] }).result[0]
      ?.expressions[0]?.value;
    const inWasm = all.map((s) => wasm.evaluate(entrypointOf(s.policy), s.input));
    expect(inWasm).toEqual(go);
    // No edge case is allowed by accident of a missing field: an allow needs a live exception.
    for (const d of inWasm.slice(SCENARIOS.length) as { result: string; exception?: { ticket: string } }[]) {
      if (d.result === 'allow') expect(d.exception?.ticket).toBe('EXC-1');
    }
  });

  it('authorises through buildPolicyInput', async () => {
    const decision = await gate.decide(
      buildAuthorizationRequest({
        principal: { kind: 'user', id: 'u-op', grants: [{ role: 'operator', org: 'acme', env: 'prod' }] },
        action: 'backup.run',
        resource: { kind: 'backup_policy', id: 'bp-1', ...scope },
        now: new Date(NOW),
      }),
    );
    expect(decision).toMatchObject({ result: 'allow', permitted: true, actor: { kind: 'user', id: 'u-op' } });
  });

  it('fails closed on an entrypoint the bundle lacks and on input that is not JSON', () => {
    const request = (overrides: Partial<PolicyRequest>): PolicyRequest => ({
      policy: POLICIES.authz,
      action: 'drift.read',
      input: {},
      ...overrides,
    });
    expect(gate.evaluate(request({ policy: 'rf.nope' as PolicyName })).error?.code).toBe(
      'POLICY.ENTRYPOINT_UNKNOWN',
    );
    expect(gate.evaluate(request({ input: { now: Number.NaN } })).error?.code).toBe('POLICY.INPUT_INVALID');
  });

  it('in dev mode, lets a deny through unenforced', async () => {
    const dev = new PolicyGate({ service: 'drift', mode: 'dev', publicKey: publicKeyPem, recorder, logger });
    await dev.loadBundle(bundle, signature);
    const scenario = SCENARIOS.find((s) => s.name.startsWith('image promotion: unsigned'))!;
    const decision = await dev.decide({
      policy: scenario.policy,
      action: scenario.action,
      input: scenario.input,
    });
    expect(decision).toMatchObject({ result: 'deny', permitted: true, enforced: false, mode: 'dev' });
    expect(recorder.last()).toMatchObject({ result: 'deny', enforced: false, service: 'drift' });
  });

  it('hot-reloads from files, refusing a bundle whose signature does not verify', async () => {
    const fresh = new PolicyGate({
      service: 'gateway',
      mode: 'prod',
      publicKey: publicKeyPem,
      recorder,
      logger,
    });
    const watched = join(dir, 'watched.tar.gz');
    writeFileSync(`${watched}.sig`, signature);
    writeFileSync(watched, bundle);
    const watcher = new BundleFileWatcher(fresh, { bundlePath: watched }, logger);
    await expect(watcher.poll()).resolves.toMatchObject({ ok: true, bundleHash: committedBundleHash() });

    writeFileSync(`${watched}.sig`, Buffer.alloc(64));
    await expect(watcher.poll()).resolves.toMatchObject({
      ok: false,
      error: { code: 'POLICY.SIGNATURE_INVALID' },
      activeBundleHash: committedBundleHash(),
    });
    expect(
      fresh.evaluate({ policy: POLICIES.restore, action: 'restore.start', input: restore({}) }).result,
    ).toBe('allow');
  });
});
