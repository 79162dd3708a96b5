import { sha256Hex } from '../canonical-json.encoder';
import type { WasmPolicy } from '../wasm-policy';

export type FakeEntrypoint = (input: unknown) => unknown;

/**
 * Bundles for unit tests without opa: the bytes name a set of entrypoints registered here, and
 * `fakeBundleLoader` turns those bytes back into a policy, as loadWasmBundle does for real ones.
 */
export class FakePolicyBundles {
  private readonly registered = new Map<string, Readonly<Record<string, FakeEntrypoint>>>();

  bundle(name: string, entrypoints: Readonly<Record<string, FakeEntrypoint>>): Buffer {
    this.registered.set(name, entrypoints);
    return Buffer.from(`fake-bundle:${name}`);
  }

  readonly loader = (bundle: Buffer): Promise<WasmPolicy> => {
    const name = bundle.toString('utf8').replace(/^fake-bundle:/, '');
    const entrypoints = this.registered.get(name);
    if (!entrypoints) return Promise.reject(new Error(`not a fake bundle: ${name}`));
    const run = (entrypoint: string, input: unknown): unknown => {
      const evaluate = entrypoints[entrypoint];
      if (!evaluate) throw new Error(`unknown policy entrypoint ${entrypoint}`);
      return evaluate(input);
    };
    return Promise.resolve({
      bundleHash: sha256Hex(bundle),
      entrypoints: Object.keys(entrypoints),
      evaluate: run,
      evaluateJson: (entrypoint, json) => run(entrypoint, JSON.parse(json)),
    });
  };
}

/** A stub that fails the test on any member it was not given, so no call goes unnoticed. */
export function strictMock<T extends object>(stubs: Partial<T>, name = 'mock'): T {
  return new Proxy(stubs, {
    get(target, property, receiver) {
      if (property === 'then' || typeof property === 'symbol') return undefined;
      if (!(property in target)) throw new Error(`${name}.${property} was called but not stubbed`);
      return Reflect.get(target, property, receiver) as unknown;
    },
  }) as T;
}
