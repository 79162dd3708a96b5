import { readServiceAuthSettings, type ServiceAuthSettings } from '@rf/platform-auth';
import {
  ConfigError,
  DEFAULT_SERVICE_PORTS,
  LOCAL_STACK_DEFAULTS,
  loadServiceConfig,
  processEnvironment,
  type ServiceConfig,
} from '@rf/platform-config';
import { Ed25519NoteSigner, Ed25519NoteVerifier } from '@rf/platform-ledger-proof';
import { z } from 'zod';
import { version } from '../package.json';

/** The log's origin on a developer machine; production names its own. */
export const DEVELOPMENT_LEDGER_ORIGIN = 'ledger.local.resiliencefabric.io/evidence';

/**
 * The log's checkpoint signing keys. Only the public vkeys are enumerable, so a logged or cloned config
 * (runService logs it at start) never carries a secret.
 */
export class LedgerSigningKeys {
  readonly vkeys: readonly string[];
  readonly #signers: readonly Ed25519NoteSigner[];

  constructor(signers: readonly Ed25519NoteSigner[]) {
    this.#signers = signers;
    this.vkeys = signers.map((s) => s.verifier.toVkey());
  }

  signers(): readonly Ed25519NoteSigner[] {
    return this.#signers;
  }
}

export interface LedgerSettings {
  /** The checkpoint origin line, and the name of the log's signing keys. */
  readonly origin: string;
  /** Empty outside production when no key is configured: the ledger then uses its stored dev key. */
  readonly signingKeys: LedgerSigningKeys;
  /** How often a checkpoint is signed while entries arrive; at most a second. */
  readonly checkpointIntervalMs: number;
  /** Witnesses whose co-signatures the ledger accepts and serves with its checkpoints. */
  readonly witnessKeys: readonly Ed25519NoteVerifier[];
  /** Where evidence packs read remediation workflow histories from; connected on first use. */
  readonly workflowHistory: { readonly address: string; readonly namespace: string };
  /**
   * The drift service evidence packs read SBOM documents and drift reports from, as the caller; null
   * when switched off (RF_LEDGER_DRIFT_URL empty), and those sections are then marked absent.
   */
  readonly drift: { readonly url: string; readonly timeoutMs: number } | null;
}

export interface LedgerConfig extends ServiceConfig {
  readonly ledger: LedgerSettings;
  /** Policy gate and the gateway's forwarded-principal key. */
  readonly auth: ServiceAuthSettings;
}

const ledgerSchema = z.object({
  RF_LEDGER_ORIGIN: z
    .string()
    .regex(/^[^\s+]+$/u, 'must be a note key name: no spaces or "+"')
    .default(DEVELOPMENT_LEDGER_ORIGIN),
  // Secret: C2SP signer keys (PRIVATE+KEY+<origin>+<id>+<key>), separated by whitespace. Every key signs
  // each checkpoint, so a rotation lists the new key next to the old one until auditors trust it.
  RF_LEDGER_SIGNING_KEY: z.string().optional(),
  RF_LEDGER_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(50).max(1_000).default(1_000),
  // Public witness vkeys (<name>+<id>+<key>), whitespace-separated.
  RF_LEDGER_WITNESS_KEYS: z.string().optional(),
  RF_LEDGER_TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port')
    .default(LOCAL_STACK_DEFAULTS.temporalAddress),
  RF_LEDGER_TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  // Empty switches it off; a URL must be http(s) without credentials.
  RF_LEDGER_DRIFT_URL: z
    .string()
    .default(`http://127.0.0.1:${DEFAULT_SERVICE_PORTS.drift}`)
    .refine(
      (u) => u === '' || /^https?:\/\/[^\s/@]+(\/[^\s]*)?$/u.test(u),
      'must be an http(s) URL without credentials, or empty',
    ),
  RF_LEDGER_DRIFT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
});

function witnessKeys(text: string | undefined, origin: string, problems: string[]): Ed25519NoteVerifier[] {
  const keys = (text ?? '').split(/\s+/u).filter((k) => k.length > 0);
  return keys.flatMap((vkey, i) => {
    try {
      const verifier = Ed25519NoteVerifier.fromVkey(vkey);
      if (verifier.keyName !== origin) return [verifier];
      problems.push(
        `RF_LEDGER_WITNESS_KEYS: key ${i + 1} is named after the log itself; a witness has its own name`,
      );
    } catch (error: unknown) {
      problems.push(
        `RF_LEDGER_WITNESS_KEYS: key ${i + 1}: ${error instanceof Error ? error.message : 'malformed'}`,
      );
    }
    return [];
  });
}

function signingKeys(text: string | undefined, origin: string, problems: string[]): Ed25519NoteSigner[] {
  const keys = (text ?? '').split(/\s+/u).filter((k) => k.length > 0);
  return keys.flatMap((skey, i) => {
    const which = keys.length > 1 ? `key ${i + 1}` : 'the key';
    try {
      const signer = Ed25519NoteSigner.fromSkey(skey);
      if (signer.keyName === origin) return [signer];
      problems.push(
        `RF_LEDGER_SIGNING_KEY: ${which} is named "${signer.keyName}", not the origin "${origin}"`,
      );
    } catch (error: unknown) {
      // The message says what is wrong with the key, never the key itself.
      problems.push(
        `RF_LEDGER_SIGNING_KEY: ${which}: ${error instanceof Error ? error.message : 'malformed'}`,
      );
    }
    return [];
  });
}

/** The shared service config plus the ledger's own settings; every problem of both is listed at once. */
export function loadLedgerConfig(
  env: Readonly<Record<string, string | undefined>> = processEnvironment(),
): LedgerConfig {
  const problems: string[] = [];
  let base: ServiceConfig | undefined;
  try {
    base = loadServiceConfig({ service: 'ledger', version, usesTemporal: false }, env);
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const auth = readServiceAuthSettings(env, problems);
  const parsed = ledgerSchema.safeParse(env);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const production = env['RF_ENV'] === 'production';
  if (production) {
    for (const key of ['RF_LEDGER_ORIGIN', 'RF_LEDGER_SIGNING_KEY'] as const) {
      if (!env[key]?.trim()) problems.push(`${key}: required when RF_ENV=production`);
    }
  }
  const signers = parsed.success
    ? signingKeys(parsed.data.RF_LEDGER_SIGNING_KEY, parsed.data.RF_LEDGER_ORIGIN, problems)
    : [];
  const witnesses = parsed.success
    ? witnessKeys(parsed.data.RF_LEDGER_WITNESS_KEYS, parsed.data.RF_LEDGER_ORIGIN, problems)
    : [];
  if (problems.length > 0 || base === undefined || !auth || !parsed.success) {
    throw new ConfigError('ledger', problems);
  }
  return {
    ...base,
    auth,
    ledger: {
      origin: parsed.data.RF_LEDGER_ORIGIN,
      signingKeys: new LedgerSigningKeys(signers),
      checkpointIntervalMs: parsed.data.RF_LEDGER_CHECKPOINT_INTERVAL_MS,
      witnessKeys: witnesses,
      workflowHistory: {
        address: parsed.data.RF_LEDGER_TEMPORAL_ADDRESS,
        namespace: parsed.data.RF_LEDGER_TEMPORAL_NAMESPACE,
      },
      drift:
        parsed.data.RF_LEDGER_DRIFT_URL === ''
          ? null
          : { url: parsed.data.RF_LEDGER_DRIFT_URL, timeoutMs: parsed.data.RF_LEDGER_DRIFT_TIMEOUT_MS },
    },
  };
}

/** runService hands the module factory the config loadLedgerConfig returned, typed as the shared one. */
export function asLedgerConfig(config: ServiceConfig): LedgerConfig {
  if (!('ledger' in config)) throw new Error('The ledger module needs the config of loadLedgerConfig');
  return config as LedgerConfig;
}
