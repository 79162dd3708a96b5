import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { canonicalHash, sha256Hex } from './canonical-json.encoder';
import type { DecisionRecorder } from './decision-recorder.port';
import { InMemoryDecisionRecorder } from './in-memory.decision-recorder';
import type { PolicyRequest } from './policy-decision.types';
import { NO_HASH, PolicyGate, type PolicyGateOptions } from './policy-gate';
import type { PolicyLogger } from './policy-logger.port';
import { PolicyError } from './policy.error';
import { FakePolicyBundles, strictMock } from './testing/fake-policy-bundle';

const AUTHZ = 'rf/authz/decision';
const REMEDIATION = 'rf/remediation/decision';
const NOW = new Date('2025-11-22T09:06:01Z');

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const signed = (bundle: Buffer, key: KeyObject = privateKey) => sign(null, bundle, key);

/** rf.authz stand-in: allows what input.allow says, with a reason. */
const authz = (input: unknown) => {
  const { allow } = input as { allow?: boolean };
  return allow
    ? { allow: true, result: 'allow', reasons: [] }
    : { allow: false, result: 'deny', reasons: ['no grant'] };
};

const request = (input: unknown, overrides: Partial<PolicyRequest> = {}): PolicyRequest => ({
  policy: 'rf.authz',
  action: 'remediation.start',
  input,
  actor: { kind: 'user', id: 'u-1' },
  resource: { kind: 'plan', id: 'p-1' },
  ...overrides,
});

function quietLogger() {
  return {
    info: jest.fn<undefined, [object, string]>(),
    warn: jest.fn<undefined, [object, string]>(),
    error: jest.fn<undefined, [object, string]>(),
  } satisfies PolicyLogger;
}

describe('PolicyGate', () => {
  let bundles: FakePolicyBundles;
  let recorder: InMemoryDecisionRecorder;
  let logger: ReturnType<typeof quietLogger>;
  let ids: number;

  const gate = (overrides: Partial<PolicyGateOptions> = {}) =>
    new PolicyGate({
      service: 'remediation',
      mode: 'prod',
      publicKey,
      recorder,
      logger,
      clock: () => NOW,
      newDecisionId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
      bundleLoader: bundles.loader,
      ...overrides,
    });

  const standard = () =>
    bundles.bundle('standard', {
      [AUTHZ]: authz,
      [REMEDIATION]: () => ({ allow: false, result: 'needs_approval', reasons: ['risk 45 exceeds 40'] }),
    });

  const loaded = async (overrides: Partial<PolicyGateOptions> = {}) => {
    const g = gate(overrides);
    const bundle = standard();
    await expect(g.loadBundle(bundle, signed(bundle))).resolves.toMatchObject({ ok: true });
    return g;
  };

  beforeEach(() => {
    bundles = new FakePolicyBundles();
    recorder = new InMemoryDecisionRecorder();
    logger = quietLogger();
    ids = 0;
  });

  describe('deciding', () => {
    it('allows, records the decision and hashes input and bundle', async () => {
      const g = await loaded();
      const input = { allow: true, principal: { id: 'u-1' } };
      const decision = await g.decide(request(input));
      expect(decision).toMatchObject({
        result: 'allow',
        permitted: true,
        enforced: true,
        mode: 'prod',
        reasons: [],
        policy: 'rf.authz',
        entrypoint: AUTHZ,
        bundleHash: sha256Hex(standard()),
        inputHash: canonicalHash(input),
        decidedAt: NOW.toISOString(),
      });
      expect(recorder.decisions).toEqual([
        expect.objectContaining({
          decisionId: decision.decisionId,
          service: 'remediation',
          action: 'remediation.start',
          result: 'allow',
          actor: { kind: 'user', id: 'u-1' },
          resource: { kind: 'plan', id: 'p-1' },
        }),
      ]);
      // A request that names no organisation leaves it to the recorder.
      expect(recorder.organisations.get(decision.decisionId)).toBeUndefined();
    });

    it('records the decision in the organisation of the decided resource, or platform-wide', async () => {
      const g = await loaded();
      const acme = await g.decide({ ...request({ allow: true }), organisation: 'acme' });
      const platform = await g.decide({ ...request({ allow: true }), organisation: null });
      expect(acme.organisation).toBe('acme');
      expect(recorder.organisations.get(acme.decisionId)).toBe('acme');
      expect(recorder.organisations.get(platform.decisionId)).toBeNull();
    });

    it('hashes inputs canonically: member order does not change inputHash', async () => {
      const g = await loaded();
      const a = g.evaluate(request({ allow: true, z: 1, a: [1, 2] }));
      const b = g.evaluate(request({ a: [1, 2], z: 1, allow: true }));
      expect(a.inputHash).toBe(b.inputHash);
      expect(a.decisionId).not.toBe(b.decisionId);
    });

    it('enforces a deny in prod', async () => {
      const decision = await (await loaded()).decide(request({ allow: false }));
      expect(decision).toMatchObject({
        result: 'deny',
        permitted: false,
        enforced: true,
        reasons: ['no grant'],
      });
      expect(recorder.last()).toMatchObject({ result: 'deny', enforced: true, mode: 'prod' });
      expect(logger.warn).not.toHaveBeenCalled();
    });

    it('never permits a needs_approval, in any mode', async () => {
      for (const mode of ['prod', 'dev'] as const) {
        const decision = (await loaded({ mode })).evaluate(request({}, { policy: 'rf.remediation' }));
        expect(decision).toMatchObject({ result: 'needs_approval', permitted: false, enforced: true });
      }
    });

    it('in dev, logs a deny and lets it through, marked not enforced', async () => {
      const decision = await (await loaded({ mode: 'dev' })).decide(request({ allow: false }));
      expect(decision).toMatchObject({ result: 'deny', permitted: true, enforced: false, mode: 'dev' });
      expect(recorder.last()).toMatchObject({ result: 'deny', enforced: false, mode: 'dev' });
      expect(logger.warn).toHaveBeenCalledWith(
        expect.objectContaining({ decisionId: decision.decisionId, reasons: ['no grant'] }),
        'policy denies; dev mode lets it through',
      );
    });

    it('reports the exception that waived a deny, in the decision and the event', async () => {
      const g = gate();
      const bundle = bundles.bundle('excepted', {
        [AUTHZ]: () => ({
          allow: true,
          result: 'allow',
          reasons: ['waived by exception EXC-1042: no grant'],
          exception: { ticket: 'EXC-1042', expiresAt: '2025-11-23T00:00:00Z' },
        }),
      });
      await g.loadBundle(bundle, signed(bundle));
      const decision = await g.decide(request({}));
      expect(decision.exception).toEqual({ ticket: 'EXC-1042', expiresAt: '2025-11-23T00:00:00Z' });
      expect(recorder.last()?.exception).toEqual({ ticket: 'EXC-1042', expiresAt: '2025-11-23T00:00:00Z' });
    });

    it('lets a call record to its own recorder, e.g. one bound to its transaction', async () => {
      const g = await loaded();
      const own = new InMemoryDecisionRecorder();
      await g.decide(request({ allow: true }), own);
      expect(own.decisions).toHaveLength(1);
      expect(recorder.decisions).toHaveLength(0);
    });

    it('refuses to return a decision it could not record', async () => {
      const failing = strictMock<DecisionRecorder>({ record: () => Promise.reject(new Error('db down')) });
      const g = await loaded({ recorder: failing });
      await expect(g.decide(request({ allow: true }))).rejects.toMatchObject({
        code: 'POLICY.RECORD_FAILED',
        retriable: true,
      });
    });

    it.each([
      ['an action that is not namespaced', { action: 'start' }],
      ['a policy that is not a package', { policy: 'rf/authz' as 'rf.authz' }],
      ['an actor with an unknown kind', { actor: { kind: 'robot' as 'user', id: 'r' } }],
      ['an actor without id', { actor: { kind: 'user' as const, id: '' } }],
      [
        'an actor with a long display name',
        { actor: { kind: 'user' as const, id: 'u', displayName: 'x'.repeat(201) } },
      ],
      ['a resource with an uppercase kind', { resource: { kind: 'Plan', id: 'p' } }],
    ])('throws for a request no event could carry: %s', async (_, overrides) => {
      const g = await loaded();
      expect(thrownBy(() => g.evaluate(request({ allow: true }, overrides)))).toMatchObject({
        code: 'POLICY.REQUEST_INVALID',
      });
    });
  });

  describe('failing closed', () => {
    const expectClosed = (decision: ReturnType<PolicyGate['evaluate']>, code: string) => {
      expect(decision).toMatchObject({ result: 'deny', permitted: false, enforced: true });
      expect(decision.error?.code).toBe(code);
      expect(decision.reasons).toEqual([expect.stringMatching(new RegExp(`^${code.replace('.', '\\.')}: `))]);
      expect(logger.error).toHaveBeenCalledWith(
        expect.objectContaining({ code }),
        'policy gate failed closed',
      );
    };

    it('denies everything before a bundle is loaded, in dev too, and still records it', async () => {
      const g = gate({ mode: 'dev', publicKey: undefined });
      const decision = await g.decide(request({ allow: true }));
      expectClosed(decision, 'POLICY.BUNDLE_MISSING');
      expect(decision.bundleHash).toBe(NO_HASH);
      expect(decision.error?.retriable).toBe(true);
      expect(recorder.last()).toMatchObject({ result: 'deny', enforced: true, bundleHash: NO_HASH });
    });

    it('denies an entrypoint the bundle does not have', async () => {
      const decision = (await loaded()).evaluate(request({}, { policy: 'rf.restore' }));
      expectClosed(decision, 'POLICY.ENTRYPOINT_UNKNOWN');
      expect(decision.bundleHash).toBe(sha256Hex(standard()));
    });

    it('denies when evaluation throws (opa-wasm throws strings)', async () => {
      const g = gate();
      const bundle = bundles.bundle('throwing', {
        [AUTHZ]: (input) => {
          if ((input as { boom?: boolean }).boom) {
            // opa-wasm reports evaluation errors by throwing plain strings.
            // eslint-disable-next-line @typescript-eslint/only-throw-error
            throw 'eval_conflict_error: complete rules must not produce multiple outputs';
          }
          return { allow: true, reasons: [] };
        },
      });
      await g.loadBundle(bundle, signed(bundle));
      expectClosed(g.evaluate(request({ boom: true })), 'POLICY.EVALUATION_FAILED');
    });

    it.each([
      ['undefined', undefined],
      ['allow as a string', { allow: 'true', reasons: [] }],
      ['allow contradicting result', { allow: true, result: 'deny', reasons: [] }],
    ])('denies a malformed result: %s', async (_, result) => {
      const g = gate();
      const bundle = bundles.bundle('malformed', {
        [AUTHZ]: (input) => ((input as { ok?: boolean }).ok ? { allow: true, reasons: [] } : result),
      });
      await g.loadBundle(bundle, signed(bundle));
      expectClosed(g.evaluate(request({})), 'POLICY.RESULT_MALFORMED');
    });

    it('denies an input that is not JSON, with no input hash', async () => {
      const decision = (await loaded({ mode: 'dev' })).evaluate(request({ allow: true, at: Number.NaN }));
      expectClosed(decision, 'POLICY.INPUT_INVALID');
      expect(decision.inputHash).toBe(NO_HASH);
    });
  });

  describe('bundles and signatures', () => {
    it('needs a signing key in prod', () => {
      expect(thrownBy(() => gate({ publicKey: undefined }))).toMatchObject({ code: 'POLICY.CONFIG_INVALID' });
    });

    it('accepts the key as PEM and refuses keys that are not ed25519 public keys', () => {
      expect(() =>
        gate({ publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() }),
      ).not.toThrow();
      const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
      expect(() => gate({ publicKey: rsa })).toThrow(/ed25519 public key/);
      expect(() => gate({ publicKey: privateKey })).toThrow(/ed25519 public key/);
      expect(thrownBy(() => gate({ publicKey: 'not a key' }))).toMatchObject({
        code: 'POLICY.CONFIG_INVALID',
      });
    });

    it('loads a bundle with a good signature, raw or base64', async () => {
      const g = gate();
      const bundle = standard();
      await expect(
        g.loadBundle(bundle, Buffer.from(signed(bundle).toString('base64') + '\n')),
      ).resolves.toEqual({
        ok: true,
        bundleHash: sha256Hex(bundle),
        previousBundleHash: undefined,
        entrypoints: [AUTHZ, REMEDIATION],
      });
      expect(g.bundleHash).toBe(sha256Hex(bundle));
      expect(g.entrypoints).toEqual([AUTHZ, REMEDIATION]);
    });

    it.each([
      ['absent', () => undefined, 'POLICY.SIGNATURE_MISSING'],
      [
        'made with another key',
        (b: Buffer) => signed(b, generateKeyPairSync('ed25519').privateKey),
        'POLICY.SIGNATURE_INVALID',
      ],
      ['over other bytes', () => signed(Buffer.from('something else')), 'POLICY.SIGNATURE_INVALID'],
      ['truncated', (b: Buffer) => signed(b).subarray(0, 63), 'POLICY.SIGNATURE_INVALID'],
      ['not base64', () => Buffer.from('?'.repeat(88)), 'POLICY.SIGNATURE_INVALID'],
    ])('refuses a bundle whose signature is %s, keeping the active one', async (_, signature, code) => {
      const g = await loaded();
      const active = g.bundleHash;
      const next = bundles.bundle('next', { [AUTHZ]: () => ({ allow: true, reasons: [] }) });
      const outcome = await g.loadBundle(next, signature(next));
      expect(outcome).toMatchObject({ ok: false, error: { code }, activeBundleHash: active });
      expect(g.bundleHash).toBe(active);
      expect(g.evaluate(request({ allow: false })).result).toBe('deny');
      expect(logger.error).toHaveBeenCalledWith(
        expect.objectContaining({ code, rejectedBundleHash: sha256Hex(next), activeBundleHash: active }),
        'policy bundle rejected; the active bundle stays in place',
      );
    });

    it('in dev without a key, loads unsigned bundles with a warning', async () => {
      const g = gate({ mode: 'dev', publicKey: undefined });
      await expect(g.loadBundle(standard())).resolves.toMatchObject({ ok: true });
      expect(logger.warn).toHaveBeenCalledWith(
        { mode: 'dev' },
        'no policy signing key configured: bundle not verified',
      );
    });

    it('in dev with a key, still demands a signature', async () => {
      const g = gate({ mode: 'dev' });
      await expect(g.loadBundle(standard())).resolves.toMatchObject({ ok: false });
      expect(g.bundleHash).toBeUndefined();
    });

    it('refuses a corrupt bundle through the real opa-wasm loader', async () => {
      const g = gate({ bundleLoader: undefined });
      for (const corrupt of [Buffer.from('not gzip'), gzipSync(Buffer.alloc(1024))]) {
        const outcome = await g.loadBundle(corrupt, signed(corrupt));
        expect(outcome).toMatchObject({ ok: false, error: { code: 'POLICY.BUNDLE_INVALID' } });
      }
      expectDenied(g.evaluate(request({ allow: true })), 'POLICY.BUNDLE_MISSING');
    });

    it('refuses a bundle without the required entrypoints, or that cannot evaluate', async () => {
      const g = gate({ requiredEntrypoints: [AUTHZ, 'rf/restore/decision'] });
      const partial = standard();
      await expect(g.loadBundle(partial, signed(partial))).resolves.toMatchObject({
        ok: false,
        error: { code: 'POLICY.BUNDLE_INVALID', message: 'bundle lacks entrypoints: rf/restore/decision' },
      });
      const empty = bundles.bundle('empty', {});
      await expect(g.loadBundle(empty, signed(empty))).resolves.toMatchObject({
        ok: false,
        error: { message: 'bundle has no entrypoints' },
      });
      const broken = bundles.bundle('broken', {
        [AUTHZ]: () => {
          throw new PolicyError('POLICY.EVALUATION_FAILED', 'time.now_ns is unavailable in this wasm build');
        },
        'rf/restore/decision': () => ({ allow: false, reasons: ['x'] }),
      });
      await expect(g.loadBundle(broken, signed(broken))).resolves.toMatchObject({
        ok: false,
        error: { code: 'POLICY.EVALUATION_FAILED' },
      });
    });
  });

  describe('hot reload', () => {
    it('switches to a new bundle without a restart and names the previous one', async () => {
      const g = await loaded();
      const first = g.bundleHash;
      expect(g.evaluate(request({ allow: false })).result).toBe('deny');
      const open = bundles.bundle('open', { [AUTHZ]: () => ({ allow: true, result: 'allow', reasons: [] }) });
      await expect(g.loadBundle(open, signed(open))).resolves.toMatchObject({
        ok: true,
        bundleHash: sha256Hex(open),
        previousBundleHash: first,
      });
      const decision = await g.decide(request({ allow: false }));
      expect(decision).toMatchObject({ result: 'allow', bundleHash: sha256Hex(open) });
      expect(recorder.last()?.bundleHash).toBe(sha256Hex(open));
    });

    it('applies concurrent loads in call order, and a rejected one changes nothing', async () => {
      const g = await loaded();
      const a = bundles.bundle('a', { [AUTHZ]: () => ({ allow: true, reasons: [] }) });
      const b = bundles.bundle('b', { [AUTHZ]: () => ({ allow: false, reasons: ['b'] }) });
      const outcomes = await Promise.all([
        g.loadBundle(a, signed(a)),
        g.loadBundle(b, Buffer.alloc(64)),
        g.loadBundle(b, signed(b)),
      ]);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
      expect(outcomes[2]).toMatchObject({ previousBundleHash: sha256Hex(a) });
      expect(g.bundleHash).toBe(sha256Hex(b));
    });
  });
});

function expectDenied(decision: ReturnType<PolicyGate['evaluate']>, code: string): void {
  expect(decision).toMatchObject({
    result: 'deny',
    permitted: false,
    error: { code },
  });
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (thrown) {
    return thrown;
  }
  throw new Error('expected a throw');
}
