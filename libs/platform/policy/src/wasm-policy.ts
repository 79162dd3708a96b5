import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { sha256Hex } from './canonical-json.encoder';
import { PolicyError } from './policy.error';
import { readTarGz } from './tar-gz.reader';

export interface WasmPolicy {
  /** sha256 of the bundle the policy was loaded from, recorded with every decision. */
  readonly bundleHash: string;
  readonly entrypoints: readonly string[];
  /** Evaluates `entrypoint` and returns its value; undefined when the policy leaves it undefined. */
  evaluate(entrypoint: string, input: unknown): unknown;
  /** As evaluate, with the input already serialised as JSON (saves a second serialisation). */
  evaluateJson(entrypoint: string, inputJson: string): unknown;
}

const encoder = new TextEncoder();

/** Loads the policy.wasm (and data.json, when present) from an `opa build -t wasm` bundle. */
export async function loadWasmBundle(bundle: Buffer): Promise<WasmPolicy> {
  let files: Map<string, Buffer>;
  try {
    files = readTarGz(bundle);
  } catch (thrown) {
    throw PolicyError.from(thrown, 'POLICY.BUNDLE_INVALID', 'policy bundle is not a readable tar.gz');
  }
  const wasm = files.get('policy.wasm');
  if (!wasm) {
    throw new PolicyError(
      'POLICY.BUNDLE_INVALID',
      'bundle has no policy.wasm; build it with `opa build -t wasm`',
    );
  }
  let policy: LoadedPolicy;
  try {
    policy = await loadPolicy(wasm);
    const data = files.get('data.json');
    if (data) policy.setData(JSON.parse(data.toString('utf8')) as object);
  } catch (thrown) {
    throw PolicyError.from(thrown, 'POLICY.BUNDLE_INVALID', 'policy.wasm cannot be loaded');
  }
  const entrypoints = Object.keys(policy.entrypoints as Record<string, number>);
  const run = (entrypoint: string, input: unknown): unknown => {
    if (!entrypoints.includes(entrypoint)) {
      throw new PolicyError('POLICY.ENTRYPOINT_UNKNOWN', `unknown policy entrypoint ${entrypoint}`, {
        metadata: { entrypoint },
      });
    }
    let results: unknown;
    try {
      results = policy.evaluate(input, entrypoint);
    } catch (thrown) {
      throw PolicyError.from(thrown, 'POLICY.EVALUATION_FAILED', `evaluating ${entrypoint} failed`);
    }
    return Array.isArray(results) ? (results[0] as { result?: unknown } | undefined)?.result : undefined;
  };
  return {
    bundleHash: sha256Hex(bundle),
    entrypoints,
    evaluate: run,
    // opa-wasm takes an ArrayBuffer as JSON text; encode() returns a fresh, exactly sized buffer.
    evaluateJson: (entrypoint, inputJson) => run(entrypoint, encoder.encode(inputJson).buffer),
  };
}
