import { stackEndpoints } from '@rf/platform-testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadWasmBundle, type WasmPolicy } from './wasm-policy';

const POLICIES = resolve(__dirname, '../../../../contracts/policies');

describe('wasm policy compiled by opa build', () => {
  let dir: string;
  let policy: WasmPolicy;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rf-policy-'));
    const bundle = join(dir, 'bundle.tar.gz');
    execFileSync(
      stackEndpoints().opaBin,
      ['build', '-t', 'wasm', '-e', 'rf/authz/decision', '--ignore', '*_test.rego', '-o', bundle, '.'],
      { cwd: POLICIES },
    );
    policy = await loadWasmBundle(readFileSync(bundle));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const resource = { org: 'acme', project: 'payments', env: 'prod' };
  const now = '2025-11-22T09:00:00Z';

  it('exposes the compiled entrypoint and the bundle hash', () => {
    expect(policy.entrypoints).toContain('rf/authz/decision');
    expect(policy.bundleHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('allows an action inside the granted scope', () => {
    const decision = policy.evaluate('rf/authz/decision', {
      principal: { grants: [{ role: 'engineer', org: 'acme', env: 'prod' }] },
      action: 'remediation.start',
      resource,
      now,
    });
    expect(decision).toEqual({ allow: true, result: 'allow', reasons: [] });
  });

  it('denies with reasons outside it', () => {
    const decision = policy.evaluate('rf/authz/decision', {
      principal: { grants: [{ role: 'viewer', org: 'acme' }] },
      action: 'remediation.start',
      resource,
      now,
    });
    expect(decision).toEqual({
      allow: false,
      result: 'deny',
      reasons: ["no role grants remediation.start in the resource's scope (needs engineer)"],
    });
  });

  it('refuses an entrypoint the bundle does not have', () => {
    expect(() => policy.evaluate('rf/authz/nope', {})).toThrow(/unknown policy entrypoint/);
  });

  it('passes the policy unit tests under opa test', () => {
    const out = execFileSync(stackEndpoints().opaBin, ['test', '.', '--format', 'json'], { cwd: POLICIES });
    const results = JSON.parse(out.toString()) as { name: string; fail?: boolean }[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.fail)).toEqual([]);
  });
});
