import { waitFor } from '@rf/platform-testing';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundleFileWatcher } from './bundle-file.watcher';
import { sha256Hex } from './canonical-json.encoder';
import { InMemoryDecisionRecorder } from './in-memory.decision-recorder';
import { PolicyGate } from './policy-gate';
import { FakePolicyBundles } from './testing/fake-policy-bundle';

const AUTHZ = 'rf/authz/decision';

describe('BundleFileWatcher', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  let dir: string;
  let bundlePath: string;
  let bundles: FakePolicyBundles;
  let gate: PolicyGate;
  let watcher: BundleFileWatcher;

  const publish = (name: string, allow: boolean, signature?: Buffer) => {
    const bundle = bundles.bundle(name, { [AUTHZ]: () => ({ allow, reasons: allow ? [] : ['closed'] }) });
    writeFileSync(`${bundlePath}.sig`, signature ?? sign(null, bundle, privateKey));
    writeFileSync(bundlePath, bundle);
    return sha256Hex(bundle);
  };
  const decide = () => gate.evaluate({ policy: 'rf.authz', action: 'drift.read', input: {} }).result;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rf-policy-watch-'));
    bundlePath = join(dir, 'bundle.tar.gz');
    bundles = new FakePolicyBundles();
    gate = new PolicyGate({
      service: 'gateway',
      mode: 'prod',
      publicKey,
      recorder: new InMemoryDecisionRecorder(),
      logger,
      bundleLoader: bundles.loader,
    });
    watcher = new BundleFileWatcher(gate, { bundlePath }, logger);
  });

  afterEach(async () => {
    await watcher.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a missing bundle once, and the gate keeps denying', async () => {
    await expect(watcher.poll()).resolves.toMatchObject({
      ok: false,
      error: { code: 'POLICY.BUNDLE_MISSING' },
    });
    await expect(watcher.poll()).resolves.toBeUndefined();
    expect(decide()).toBe('deny');
  });

  it('loads the bundle, then only what changed', async () => {
    const first = publish('first', true);
    await expect(watcher.poll()).resolves.toMatchObject({ ok: true, bundleHash: first });
    await expect(watcher.poll()).resolves.toBeUndefined();
    const second = publish('second', false);
    await expect(watcher.poll()).resolves.toMatchObject({
      ok: true,
      bundleHash: second,
      previousBundleHash: first,
    });
    expect(decide()).toBe('deny');
  });

  it('keeps the old bundle on a bad signature, and takes the pair once the signature is fixed', async () => {
    const good = publish('good', true);
    await watcher.poll();
    publish('tampered', false, Buffer.alloc(64, 1));
    await expect(watcher.poll()).resolves.toMatchObject({ ok: false, activeBundleHash: good });
    await expect(watcher.poll()).resolves.toBeUndefined();
    expect(decide()).toBe('allow');
    const tampered = publish('tampered', false);
    await expect(watcher.poll()).resolves.toMatchObject({ ok: true, bundleHash: tampered });
  });

  it('polls on its own once started, without a restart', async () => {
    publish('first', true);
    watcher.start(20);
    await waitFor(() => Promise.resolve(decide() === 'allow' ? true : undefined), {
      timeoutMs: 5_000,
      intervalMs: 10,
    });
    const second = publish('second', false);
    await waitFor(() => Promise.resolve(gate.bundleHash === second ? true : undefined), {
      timeoutMs: 5_000,
      intervalMs: 10,
    });
    expect(decide()).toBe('deny');
  });

  it('reads an explicit signature path', async () => {
    const bundle = bundles.bundle('elsewhere', { [AUTHZ]: () => ({ allow: true, reasons: [] }) });
    writeFileSync(bundlePath, bundle);
    writeFileSync(join(dir, 'detached.sig'), sign(null, bundle, privateKey).toString('base64'));
    const explicit = new BundleFileWatcher(
      gate,
      { bundlePath, signaturePath: join(dir, 'detached.sig') },
      logger,
    );
    await expect(explicit.poll()).resolves.toMatchObject({ ok: true });
  });
});
