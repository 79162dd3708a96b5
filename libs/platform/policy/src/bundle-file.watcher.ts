import { readFile } from 'node:fs/promises';
import { sha256Hex } from './canonical-json.encoder';
import type { BundleLoadOutcome, PolicyGate } from './policy-gate';
import type { PolicyLogger } from './policy-logger.port';
import { PolicyError } from './policy.error';

export interface BundleFiles {
  /** The `opa build -t wasm` output, e.g. `.stack/policy/bundle.tar.gz`. */
  readonly bundlePath: string;
  /** Detached ed25519 signature; defaults to `<bundlePath>.sig`. */
  readonly signaturePath?: string;
}

export const DEFAULT_BUNDLE_POLL_MS = 5_000;

/**
 * Hot reload: watches a bundle file and its signature, and hands every new pair to the gate. A
 * pair is tried once; a rejected one is not retried until either file changes again. Polling
 * content hashes works the same on every file system, unlike fs.watch.
 */
export class BundleFileWatcher {
  private lastSeen: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<unknown> | undefined;

  constructor(
    private readonly gate: PolicyGate,
    private readonly files: BundleFiles,
    private readonly logger: PolicyLogger,
  ) {}

  /** Loads the files if they changed since the last attempt; undefined when they did not. */
  async poll(): Promise<BundleLoadOutcome | undefined> {
    const bundle = await readOptional(this.files.bundlePath);
    const signature = await readOptional(this.files.signaturePath ?? `${this.files.bundlePath}.sig`);
    const seen = `${bundle ? sha256Hex(bundle) : 'missing'}:${signature ? sha256Hex(signature) : 'unsigned'}`;
    if (seen === this.lastSeen) return undefined;
    this.lastSeen = seen;
    if (!bundle) {
      const error = new PolicyError('POLICY.BUNDLE_MISSING', `no policy bundle at ${this.files.bundlePath}`);
      this.logger.error({ code: error.code, path: this.files.bundlePath }, error.message);
      return { ok: false, error, activeBundleHash: this.gate.bundleHash };
    }
    return this.gate.loadBundle(bundle, signature);
  }

  start(intervalMs = DEFAULT_BUNDLE_POLL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), intervalMs);
    // The watcher never keeps a process alive on its own.
    this.timer.unref();
  }

  /** Stops polling and waits for a poll in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  private tick(): void {
    if (this.polling) return;
    this.polling = this.poll()
      .catch((thrown: unknown) => {
        this.logger.error({ err: thrown, path: this.files.bundlePath }, 'policy bundle poll failed');
      })
      .finally(() => {
        this.polling = undefined;
      });
  }
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw PolicyError.from(thrown, 'POLICY.BUNDLE_INVALID', `cannot read ${path}`);
  }
}
