import { ConfigError, describeServiceConfig, loadServiceConfig } from '@rf/platform-config';
import { Ed25519NoteSigner } from '@rf/platform-ledger-proof';
import { generateKeyPairSync } from 'node:crypto';
import { asLedgerConfig, DEVELOPMENT_LEDGER_ORIGIN, loadLedgerConfig } from './ledger.config';

const ORIGIN = 'ledger.example.org/evidence';
const PRODUCTION = {
  RF_ENV: 'production',
  RF_DATABASE_URL: 'postgres://rf:secret@db:5432/rf_ledger',
  RF_KAFKA_BROKERS: 'kafka:9092',
  RF_REGISTRY_URL: 'http://registry:8080/apis/ccompat/v7',
  RF_POLICY_PUBLIC_KEY: generateKeyPairSync('ed25519')
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString(),
  RF_GATEWAY_PRINCIPAL_PUBLIC_KEY: generateKeyPairSync('ed25519')
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString(),
};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadLedgerConfig(env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('ledger config', () => {
  it('runs on a developer machine with no settings, signing with a stored development key', () => {
    const config = loadLedgerConfig({});
    expect(config).toMatchObject({ service: 'ledger', env: 'development', http: { port: 3105 } });
    expect(config.ledger).toMatchObject({ origin: DEVELOPMENT_LEDGER_ORIGIN, checkpointIntervalMs: 1_000 });
    expect(config.ledger.signingKeys.signers()).toEqual([]);
  });

  it('takes the signing keys from RF_LEDGER_SIGNING_KEY, and never shows them', () => {
    const [current, next] = [Ed25519NoteSigner.generate(ORIGIN), Ed25519NoteSigner.generate(ORIGIN)];
    const config = loadLedgerConfig({
      ...PRODUCTION,
      RF_LEDGER_ORIGIN: ORIGIN,
      RF_LEDGER_SIGNING_KEY: `${current.toSkey()}\n  ${next.toSkey()}\n`,
      RF_LEDGER_CHECKPOINT_INTERVAL_MS: '500',
    });
    expect(config.ledger.signingKeys.signers().map((s) => s.keyId)).toEqual([current.keyId, next.keyId]);
    expect(config.ledger.checkpointIntervalMs).toBe(500);
    const logged = JSON.stringify(describeServiceConfig(config));
    expect(logged).toContain(current.verifier.toVkey());
    for (const secret of [current.toSkey(), next.toSkey()]) {
      // PRIVATE+KEY+<name>+<hash>+<key>: the key material itself may contain '+'.
      const material = secret.split('+').slice(4).join('+');
      expect(logged).not.toContain(material);
      expect(JSON.stringify(config)).not.toContain(material);
    }
  });

  it('requires the origin and a key in production, listing every problem at once', () => {
    expect(problemsOf({ RF_ENV: 'production' })).toEqual([
      'RF_DATABASE_URL: required when RF_ENV=production',
      'RF_KAFKA_BROKERS: required when RF_ENV=production',
      'RF_REGISTRY_URL: required when RF_ENV=production',
      'RF_POLICY_PUBLIC_KEY: required in prod mode',
      'RF_GATEWAY_PRINCIPAL_PUBLIC_KEY: required when RF_ENV=production',
      'RF_LEDGER_ORIGIN: required when RF_ENV=production',
      'RF_LEDGER_SIGNING_KEY: required when RF_ENV=production',
    ]);
  });

  it('refuses a malformed key without echoing it, a key of another log, and a slow interval', () => {
    const other = Ed25519NoteSigner.generate('ledger.elsewhere.org/evidence');
    const mangled = `${Ed25519NoteSigner.generate(ORIGIN).toSkey()}x`;
    const problems = problemsOf({
      RF_LEDGER_ORIGIN: ORIGIN,
      RF_LEDGER_SIGNING_KEY: `${mangled} ${other.toSkey()}`,
      RF_LEDGER_CHECKPOINT_INTERVAL_MS: '5000',
    });
    expect(problems).toEqual([expect.stringMatching(/^RF_LEDGER_CHECKPOINT_INTERVAL_MS: /)]);
    const keyProblems = problemsOf({
      RF_LEDGER_ORIGIN: ORIGIN,
      RF_LEDGER_SIGNING_KEY: `${mangled} ${other.toSkey()}`,
    });
    expect(keyProblems).toEqual([
      expect.stringMatching(/^RF_LEDGER_SIGNING_KEY: key 1: Malformed signer key/),
      `RF_LEDGER_SIGNING_KEY: key 2 is named "ledger.elsewhere.org/evidence", not the origin "${ORIGIN}"`,
    ]);
    expect(keyProblems.join('\n')).not.toContain(mangled.split('+').slice(4).join('+'));
    expect(problemsOf({ RF_LEDGER_ORIGIN: 'two words' })).toEqual([
      'RF_LEDGER_ORIGIN: must be a note key name: no spaces or "+"',
    ]);
  });

  it('takes witness vkeys and where evidence packs read workflow histories from', () => {
    const witness = Ed25519NoteSigner.generate('witness.example.org/w1');
    const config = loadLedgerConfig({
      RF_LEDGER_ORIGIN: ORIGIN,
      RF_LEDGER_WITNESS_KEYS: ` ${witness.verifier.toVkey()} `,
      RF_LEDGER_TEMPORAL_ADDRESS: 'temporal:7233',
    });
    expect(config.ledger.witnessKeys.map((k) => k.keyId)).toEqual([witness.keyId]);
    expect(config.ledger.workflowHistory).toEqual({ address: 'temporal:7233', namespace: 'default' });
    expect(loadLedgerConfig({}).ledger.witnessKeys).toEqual([]);

    const own = Ed25519NoteSigner.generate(ORIGIN).verifier.toVkey();
    expect(
      problemsOf({
        RF_LEDGER_ORIGIN: ORIGIN,
        RF_LEDGER_WITNESS_KEYS: `not-a-key ${own}`,
        RF_LEDGER_TEMPORAL_ADDRESS: 'x',
      }),
    ).toEqual(['RF_LEDGER_TEMPORAL_ADDRESS: must be host:port']);
    expect(problemsOf({ RF_LEDGER_ORIGIN: ORIGIN, RF_LEDGER_WITNESS_KEYS: `not-a-key ${own}` })).toEqual([
      expect.stringMatching(/^RF_LEDGER_WITNESS_KEYS: key 1: /),
      'RF_LEDGER_WITNESS_KEYS: key 2 is named after the log itself; a witness has its own name',
    ]);
  });

  it('reads SBOMs and drift reports from the drift service at RF_LEDGER_DRIFT_URL, unless it is empty', () => {
    expect(loadLedgerConfig({}).ledger.drift).toEqual({ url: 'http://127.0.0.1:3102', timeoutMs: 10_000 });
    expect(
      loadLedgerConfig({ RF_LEDGER_DRIFT_URL: 'http://drift:3102', RF_LEDGER_DRIFT_TIMEOUT_MS: '2500' })
        .ledger.drift,
    ).toEqual({ url: 'http://drift:3102', timeoutMs: 2_500 });
    expect(loadLedgerConfig({ RF_LEDGER_DRIFT_URL: '' }).ledger.drift).toBeNull();
    expect(
      problemsOf({ RF_LEDGER_DRIFT_URL: 'http://user:pw@drift:3102', RF_LEDGER_DRIFT_TIMEOUT_MS: '5' }),
    ).toEqual([
      'RF_LEDGER_DRIFT_URL: must be an http(s) URL without credentials, or empty',
      expect.stringMatching(/^RF_LEDGER_DRIFT_TIMEOUT_MS: /),
    ]);
  });

  it('tells a ledger config from the shared one', () => {
    expect(asLedgerConfig(loadLedgerConfig({})).ledger.origin).toBe(DEVELOPMENT_LEDGER_ORIGIN);
    const shared = loadServiceConfig({ service: 'ledger', version: '0', usesTemporal: false }, {});
    expect(() => asLedgerConfig(shared)).toThrow('loadLedgerConfig');
  });
});
