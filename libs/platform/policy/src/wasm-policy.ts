import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { createHash } from 'node:crypto';
import { readTarGz } from './tar-gz.reader';

export interface WasmPolicy {
  /** sha256 of the bundle the policy was loaded from, recorded with every decision. */
  readonly bundleHash: string;
  readonly entrypoints: readonly string[];
  evaluate(entrypoint: string, input: unknown): unknown;
}

/** Loads the policy.wasm (and data.json, when present) from an `opa build -t wasm` bundle. */
export async function loadWasmBundle(bundle: Buffer): Promise<WasmPolicy> {
  const files = readTarGz(bundle);
  const wasm = files.get('policy.wasm');
  if (!wasm) throw new Error('bundle has no policy.wasm; build it with `opa build -t wasm`');
  const policy: LoadedPolicy = await loadPolicy(wasm);
  const data = files.get('data.json');
  if (data) policy.setData(JSON.parse(data.toString('utf8')) as object);
  const entrypoints = Object.keys(policy.entrypoints as Record<string, number>);
  return {
    bundleHash: createHash('sha256').update(bundle).digest('hex'),
    entrypoints,
    evaluate(entrypoint, input) {
      if (!entrypoints.includes(entrypoint)) throw new Error(`unknown policy entrypoint ${entrypoint}`);
      const results = policy.evaluate(input, entrypoint) as { result: unknown }[];
      return results[0]?.result;
    },
  };
}
