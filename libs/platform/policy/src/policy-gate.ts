import type { PolicyDecidedV1 } from '@rf/contracts';
import { createPublicKey, type KeyObject, randomUUID, verify } from 'node:crypto';
import { canonicalJson, sha256Hex } from './canonical-json.encoder';
import type { DecisionRecorder } from './decision-recorder.port';
import type {
  DecisionActor,
  DecisionResource,
  GateMode,
  GateService,
  PolicyDecision,
  PolicyRequest,
} from './policy-decision.types';
import type { PolicyLogger } from './policy-logger.port';
import { parsePolicyVerdict, type PolicyVerdict } from './policy-verdict.parser';
import { PolicyError } from './policy.error';
import { loadWasmBundle, type WasmPolicy } from './wasm-policy';

/** Stands in for a hash that does not exist: no bundle loaded, or an input that is not JSON. */
export const NO_HASH = '0'.repeat(64);

export interface PolicyGateOptions {
  /** Service whose gate this is; named in every decision. */
  readonly service: GateService;
  readonly mode: GateMode;
  /**
   * ed25519 public key (PEM, SPKI) bundles must be signed with. Required in prod. In dev without a
   * key, unsigned bundles load with a warning.
   */
  readonly publicKey?: string | KeyObject;
  /** Entrypoints a bundle must have to be accepted, e.g. `rf/authz/decision`. */
  readonly requiredEntrypoints?: readonly string[];
  /** Receives every decision of `decide`, unless a call passes its own. */
  readonly recorder: DecisionRecorder;
  readonly logger: PolicyLogger;
  readonly clock?: () => Date;
  readonly newDecisionId?: () => string;
  /** Turns verified bundle bytes into a policy; opa-wasm by default. */
  readonly bundleLoader?: (bundle: Buffer) => Promise<WasmPolicy>;
}

export type BundleLoadOutcome =
  | {
      readonly ok: true;
      readonly bundleHash: string;
      readonly previousBundleHash: string | undefined;
      readonly entrypoints: readonly string[];
    }
  | {
      readonly ok: false;
      readonly error: PolicyError;
      /** The bundle still deciding, if any. */
      readonly activeBundleHash: string | undefined;
    };

const ED25519_SIGNATURE_BYTES = 64;
const POLICY_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
const ACTION_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const KIND_PATTERN = /^[a-z][a-z0-9_]*$/;
const ACTOR_KINDS: ReadonlySet<string> = new Set<DecisionActor['kind']>([
  'user',
  'service',
  'policy',
  'schedule',
]);
const MAX_ID_LENGTH = 200;

/** The Rego package `rf.image_promotion` decides through `rf/image_promotion/decision`. */
export function entrypointOf(policy: string): string {
  return `${policy.replaceAll('.', '/')}/decision`;
}

/**
 * The policy gate: evaluates the compiled Rego bundle in-process (opa-wasm) and fails closed: no
 * bundle, an unknown entrypoint, an input that is not JSON, an evaluation error or a malformed
 * result all decide `deny`, in every mode. In `dev` mode a deny *from the policy* is logged and
 * let through (`enforced: false`); in `prod` every result is enforced. Bundles are replaced at
 * runtime with `loadBundle`, which verifies the ed25519 signature first and keeps the active
 * bundle when anything is wrong.
 */
export class PolicyGate {
  private active: WasmPolicy | undefined;
  private loading: Promise<unknown> = Promise.resolve();
  private readonly publicKey: KeyObject | undefined;
  private readonly clock: () => Date;
  private readonly newDecisionId: () => string;

  constructor(private readonly options: PolicyGateOptions) {
    this.publicKey = options.publicKey === undefined ? undefined : ed25519Key(options.publicKey);
    if (options.mode === 'prod' && !this.publicKey) {
      throw new PolicyError(
        'POLICY.CONFIG_INVALID',
        'a prod policy gate needs the public key bundles are signed with',
      );
    }
    this.clock = options.clock ?? (() => new Date());
    this.newDecisionId = options.newDecisionId ?? randomUUID;
  }

  get mode(): GateMode {
    return this.options.mode;
  }

  /** sha256 of the bundle deciding now; undefined before the first successful load. */
  get bundleHash(): string | undefined {
    return this.active?.bundleHash;
  }

  get entrypoints(): readonly string[] {
    return this.active?.entrypoints ?? [];
  }

  /**
   * Verifies and activates a bundle. Loads are applied one at a time in call order; evaluations
   * keep using the previous bundle until the new one is fully loaded, then switch at once.
   */
  loadBundle(bundle: Buffer, signature?: Buffer): Promise<BundleLoadOutcome> {
    const outcome = this.loading.then(() => this.activate(bundle, signature));
    this.loading = outcome;
    return outcome;
  }

  /** Evaluates without recording. Throws only for a request no decision can be recorded for. */
  evaluate(request: PolicyRequest): PolicyDecision {
    assertRequest(request);
    const started = performance.now();
    const entrypoint = entrypointOf(request.policy);
    const bundle = this.active;
    let inputHash = NO_HASH;
    try {
      const input = canonicalJson(request.input);
      inputHash = sha256Hex(input);
      if (!bundle) throw new PolicyError('POLICY.BUNDLE_MISSING', 'no policy bundle is loaded');
      if (!bundle.entrypoints.includes(entrypoint)) {
        throw new PolicyError(
          'POLICY.ENTRYPOINT_UNKNOWN',
          `the policy bundle has no entrypoint ${entrypoint}`,
          {
            metadata: { entrypoint },
          },
        );
      }
      const verdict = parsePolicyVerdict(bundle.evaluateJson(entrypoint, input), entrypoint);
      return this.decided(request, entrypoint, verdict, bundle.bundleHash, inputHash, started);
    } catch (thrown) {
      const error = PolicyError.from(thrown, 'POLICY.EVALUATION_FAILED', `evaluating ${entrypoint} failed`);
      return this.failedClosed(request, entrypoint, error, bundle?.bundleHash ?? NO_HASH, inputHash, started);
    }
  }

  /**
   * Evaluates and records the decision as `policy.decided`. Rejects with POLICY.RECORD_FAILED
   * (retriable) when the recorder fails: an unrecorded decision must not be acted on.
   */
  async decide(
    request: PolicyRequest,
    recorder: DecisionRecorder = this.options.recorder,
  ): Promise<PolicyDecision> {
    const decision = this.evaluate(request);
    try {
      await recorder.record(policyDecidedData(decision, this.options.service), decision.organisation);
    } catch (thrown) {
      throw PolicyError.from(thrown, 'POLICY.RECORD_FAILED', 'the policy decision could not be recorded');
    }
    return decision;
  }

  /**
   * Decides and records like `decide`, then refuses what is not permitted: a deny or a
   * needs_approval throws `POLICY.DENIED` / `POLICY.APPROVAL_REQUIRED`, not retriable, naming the
   * decision and its reasons. A gate that failed closed for a passing reason (no bundle yet) throws
   * that reason's retriable error instead, so a consumer or activity tries again. For transports
   * with no caller to answer: Kafka handlers (DLQ with the reason) and Temporal activities.
   */
  async enforce(request: PolicyRequest, recorder?: DecisionRecorder): Promise<PolicyDecision> {
    const decision = await this.decide(request, recorder);
    if (decision.permitted) return decision;
    const metadata = {
      decisionId: decision.decisionId,
      policy: decision.policy,
      action: decision.action,
      result: decision.result,
    };
    if (decision.error?.retriable) {
      throw new PolicyError(decision.error.code, decision.error.message, {
        cause: decision.error,
        metadata,
      });
    }
    const approval = decision.result === 'needs_approval';
    throw new PolicyError(
      approval ? 'POLICY.APPROVAL_REQUIRED' : 'POLICY.DENIED',
      `${request.action} ${approval ? 'needs approval' : 'denied'} by ${request.policy}: ${
        decision.reasons.join('; ') || 'no reason given'
      }`,
      { retriable: false, metadata },
    );
  }

  private async activate(bundle: Buffer, signature: Buffer | undefined): Promise<BundleLoadOutcome> {
    const candidateHash = sha256Hex(bundle);
    try {
      this.verifySignature(bundle, signature);
      const policy = await (this.options.bundleLoader ?? loadWasmBundle)(bundle);
      const missing = (this.options.requiredEntrypoints ?? []).filter((e) => !policy.entrypoints.includes(e));
      if (policy.entrypoints.length === 0)
        throw new PolicyError('POLICY.BUNDLE_INVALID', 'bundle has no entrypoints');
      if (missing.length > 0) {
        throw new PolicyError('POLICY.BUNDLE_INVALID', `bundle lacks entrypoints: ${missing.join(', ')}`);
      }
      // Evaluate each entrypoint once, so a bundle that cannot run never starts deciding.
      for (const entrypoint of policy.entrypoints) policy.evaluate(entrypoint, {});
      const previousBundleHash = this.active?.bundleHash;
      this.active = policy;
      this.options.logger.info(
        { bundleHash: policy.bundleHash, previousBundleHash, entrypoints: policy.entrypoints },
        'policy bundle activated',
      );
      return { ok: true, bundleHash: policy.bundleHash, previousBundleHash, entrypoints: policy.entrypoints };
    } catch (thrown) {
      const error = PolicyError.from(thrown, 'POLICY.BUNDLE_INVALID', 'policy bundle rejected');
      this.options.logger.error(
        {
          code: error.code,
          rejectedBundleHash: candidateHash,
          activeBundleHash: this.active?.bundleHash,
          err: error,
        },
        'policy bundle rejected; the active bundle stays in place',
      );
      return { ok: false, error, activeBundleHash: this.active?.bundleHash };
    }
  }

  private verifySignature(bundle: Buffer, signature: Buffer | undefined): void {
    if (!this.publicKey) {
      this.options.logger.warn(
        { mode: this.options.mode },
        'no policy signing key configured: bundle not verified',
      );
      return;
    }
    if (!signature) {
      throw new PolicyError('POLICY.SIGNATURE_MISSING', 'the policy bundle has no signature');
    }
    const raw = signatureBytes(signature);
    if (!raw || !verify(null, bundle, this.publicKey, raw)) {
      throw new PolicyError('POLICY.SIGNATURE_INVALID', 'the policy bundle signature does not verify');
    }
  }

  private decided(
    request: PolicyRequest,
    entrypoint: string,
    verdict: PolicyVerdict,
    bundleHash: string,
    inputHash: string,
    started: number,
  ): PolicyDecision {
    const waived = verdict.result === 'deny' && this.options.mode === 'dev';
    const decision: PolicyDecision = {
      ...this.common(request, entrypoint, bundleHash, inputHash, started),
      result: verdict.result,
      permitted: verdict.result === 'allow' || waived,
      enforced: !waived,
      reasons: verdict.reasons,
      ...(verdict.exception ? { exception: verdict.exception } : {}),
    };
    if (waived) {
      this.options.logger.warn(
        {
          decisionId: decision.decisionId,
          action: request.action,
          policy: request.policy,
          reasons: verdict.reasons,
        },
        'policy denies; dev mode lets it through',
      );
    }
    return decision;
  }

  private failedClosed(
    request: PolicyRequest,
    entrypoint: string,
    error: PolicyError,
    bundleHash: string,
    inputHash: string,
    started: number,
  ): PolicyDecision {
    const decision: PolicyDecision = {
      ...this.common(request, entrypoint, bundleHash, inputHash, started),
      result: 'deny',
      permitted: false,
      enforced: true,
      reasons: [`${error.code}: ${error.message}`.slice(0, 1000)],
      error,
    };
    this.options.logger.error(
      { decisionId: decision.decisionId, action: request.action, entrypoint, code: error.code, err: error },
      'policy gate failed closed',
    );
    return decision;
  }

  private common(
    request: PolicyRequest,
    entrypoint: string,
    bundleHash: string,
    inputHash: string,
    started: number,
  ) {
    return {
      decisionId: this.newDecisionId(),
      policy: request.policy,
      entrypoint,
      action: request.action,
      mode: this.options.mode,
      bundleHash,
      inputHash,
      durationMs: performance.now() - started,
      decidedAt: this.clock().toISOString(),
      ...(request.actor ? { actor: request.actor } : {}),
      ...(request.resource ? { resource: request.resource } : {}),
      ...(request.organisation === undefined ? {} : { organisation: request.organisation }),
    };
  }
}

/** The `policy.decided` event data of a decision. */
export function policyDecidedData(decision: PolicyDecision, service: GateService): PolicyDecidedV1 {
  return {
    decisionId: decision.decisionId,
    service,
    action: decision.action,
    policy: decision.policy,
    entrypoint: decision.entrypoint,
    bundleHash: decision.bundleHash,
    inputHash: decision.inputHash,
    ...(decision.actor ? { actor: decision.actor } : {}),
    ...(decision.resource ? { resource: decision.resource } : {}),
    result: decision.result,
    reasons: [...decision.reasons],
    enforced: decision.enforced,
    mode: decision.mode,
    ...(decision.exception ? { exception: decision.exception } : {}),
    durationMs: Math.round(decision.durationMs * 1000) / 1000,
    decidedAt: decision.decidedAt,
  };
}

function ed25519Key(key: string | KeyObject): KeyObject {
  let parsed: KeyObject;
  try {
    parsed = typeof key === 'string' ? createPublicKey(key) : key;
  } catch (thrown) {
    throw PolicyError.from(thrown, 'POLICY.CONFIG_INVALID', 'the policy signing key is not a PEM public key');
  }
  if (parsed.type !== 'public' || parsed.asymmetricKeyType !== 'ed25519') {
    throw new PolicyError('POLICY.CONFIG_INVALID', 'the policy signing key must be an ed25519 public key');
  }
  return parsed;
}

/** A detached signature file holds the 64 raw bytes (openssl pkeyutl) or their base64. */
function signatureBytes(signature: Buffer): Buffer | undefined {
  if (signature.length === ED25519_SIGNATURE_BYTES) return signature;
  const text = signature.toString('utf8').trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64');
  return decoded.length === ED25519_SIGNATURE_BYTES ? decoded : undefined;
}

function assertRequest(request: PolicyRequest): void {
  const problems: string[] = [];
  if (!POLICY_PATTERN.test(request.policy))
    problems.push(`policy ${request.policy} is not a Rego package name`);
  if (!ACTION_PATTERN.test(request.action))
    problems.push(`action ${request.action} is not like remediation.start`);
  if (request.actor && !validActor(request.actor))
    problems.push('actor needs a known kind and an id of 1-200 chars');
  if (request.resource && !validResource(request.resource)) {
    problems.push('resource needs a lowercase kind and an id of 1-200 chars');
  }
  if (problems.length > 0) {
    throw new PolicyError('POLICY.REQUEST_INVALID', `policy request is invalid: ${problems.join('; ')}`);
  }
}

function validActor(actor: DecisionActor): boolean {
  return (
    ACTOR_KINDS.has(actor.kind) &&
    validId(actor.id) &&
    (actor.displayName === undefined || actor.displayName.length <= MAX_ID_LENGTH)
  );
}

function validResource(resource: DecisionResource): boolean {
  return KIND_PATTERN.test(resource.kind) && validId(resource.id);
}

function validId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_ID_LENGTH;
}
