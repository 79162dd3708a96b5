import { ConfigError, processEnvironment, type ServiceName } from '@rf/platform-config';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { loadComplianceConfig } from '../services/compliance/src/compliance.config';
import { loadDriftConfig } from '../services/drift/src/drift.config';
import { loadImageRegistryConfig } from '../services/drift/src/infrastructure/images/image-registry.config';
import { loadGatewayConfig } from '../services/gateway/src/gateway.config';
import { loadInventoryConfig } from '../services/inventory/src/inventory.config';
import { loadLedgerConfig } from '../services/ledger/src/ledger.config';
import { loadQuantumConfig } from '../services/quantum/src/quantum.config';
import { loadRecoveryConfig } from '../services/recovery/src/recovery.config';
import { loadRemediationConfig } from '../services/remediation/src/remediation.config';

/**
 * The deployment descriptors against the services' own config loaders: the Helm chart must hand
 * every service each variable its loader requires in production, and docker-compose must give
 * each service an environment its loader accepts.
 */

type Env = Readonly<Record<string, string | undefined>>;

const ROOT = resolve(__dirname, '..');
const CHART = join(ROOT, 'helm/resilience-fabric');

/** Every loader a process of the service runs at start (drift's image registry reads its own). */
const LOADERS: Readonly<Record<ServiceName, readonly ((env: Env) => unknown)[]>> = {
  inventory: [loadInventoryConfig],
  drift: [loadDriftConfig, loadImageRegistryConfig],
  compliance: [loadComplianceConfig],
  remediation: [loadRemediationConfig],
  ledger: [loadLedgerConfig],
  recovery: [loadRecoveryConfig],
  quantum: [loadQuantumConfig],
  gateway: [loadGatewayConfig],
};

/** Deployment components and compose services that run a service's code (the worker: remediation's). */
const PROCESSES: Readonly<Record<string, ServiceName>> = {
  ...Object.fromEntries(Object.keys(LOADERS).map((s) => [s, s as ServiceName])),
  'remediation-worker': 'remediation',
};

function problemsOf(service: ServiceName, env: Env): string[] {
  return LOADERS[service].flatMap((load) => {
    try {
      load(env);
      return [];
    } catch (error: unknown) {
      if (error instanceof ConfigError) return [...error.problems];
      throw error;
    }
  });
}

/**
 * What the service refuses to start without in production, read from its loaders' own messages:
 * each entry lists alternatives ("A or B: required ..."), one of which must be set.
 */
function productionRequired(service: ServiceName): string[][] {
  return problemsOf(service, { RF_ENV: 'production' }).flatMap((problem) => {
    const match = /^(RF_[A-Z0-9_]+(?: or RF_[A-Z0-9_]+)*): required/u.exec(problem);
    return match?.[1] ? [match[1].split(' or ')] : [];
  });
}

function helmBinary(): string {
  const candidates = [
    processEnvironment()['RF_HELM'],
    join(processEnvironment()['RF_CACHE_DIR'] ?? join(homedir(), '.cache/resilience-fabric'), 'bin/helm'),
  ];
  const found = candidates.find((c): c is string => c !== undefined && existsSync(c));
  if (!found) throw new Error('no helm binary: run deploy/helm-check.sh once (it builds one into the cache)');
  return found;
}

interface Manifest {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly labels?: Record<string, string> };
  readonly data?: Record<string, string>;
  readonly spec?: {
    readonly template?: {
      readonly spec?: {
        readonly containers?: readonly {
          readonly env?: readonly { readonly name: string }[];
          readonly envFrom?: readonly { readonly configMapRef?: { readonly name: string } }[];
        }[];
      };
    };
  };
}

/** The variable names each Deployment's container receives, by component. */
function helmEnvironments(...args: string[]): Map<string, Set<string>> {
  const rendered = execFileSync(
    helmBinary(),
    ['template', 'rf', CHART, '--namespace', 'rf', '--kube-version', '1.30.0', ...args],
    { encoding: 'utf8' },
  );
  const manifests = parseAllDocuments(rendered)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
  const configMaps = new Map(
    manifests.filter((m) => m.kind === 'ConfigMap').map((m) => [m.metadata?.name, m.data ?? {}]),
  );
  const result = new Map<string, Set<string>>();
  for (const m of manifests.filter((x) => x.kind === 'Deployment')) {
    const component = m.metadata?.labels?.['app.kubernetes.io/component'] ?? '';
    const names = new Set<string>();
    for (const c of m.spec?.template?.spec?.containers ?? []) {
      for (const e of c.env ?? []) names.add(e.name);
      for (const from of c.envFrom ?? []) {
        for (const key of Object.keys(configMaps.get(from.configMapRef?.name) ?? {})) names.add(key);
      }
    }
    result.set(component, names);
  }
  return result;
}

/** Production-required variables a rendered Deployment does not receive, as "component: A or B". */
function missingFromHelm(environments: Map<string, Set<string>>): string[] {
  return [...environments].flatMap(([component, names]) => {
    const service = PROCESSES[component];
    if (!service) return [`${component}: not a known service process`];
    return productionRequired(service)
      .filter((alternatives) => !alternatives.some((a) => names.has(a)))
      .map((alternatives) => `${component}: ${alternatives.join(' or ')}`);
  });
}

describe('deployment descriptors against the config loaders', () => {
  it('reads the production requirements from the loaders', () => {
    expect(productionRequired('gateway')).toEqual(
      expect.arrayContaining([
        ['RF_DATABASE_URL'],
        ['RF_POLICY_PUBLIC_KEY'],
        ['RF_GATEWAY_PRINCIPAL_PUBLIC_KEY'],
        ['RF_OIDC_ISSUER'],
        ['RF_GATEWAY_PRINCIPAL_SIGNING_KEY'],
      ]),
    );
    expect(productionRequired('ledger')).toEqual(
      expect.arrayContaining([['RF_LEDGER_ORIGIN'], ['RF_LEDGER_SIGNING_KEY']]),
    );
    expect(productionRequired('drift')).toEqual(
      expect.arrayContaining([['RF_IMAGES_TRUSTED_KEYS_FILE', 'RF_IMAGES_SIGSTORE_TRUSTED_ROOT']]),
    );
    expect(productionRequired('remediation')).toEqual(
      expect.arrayContaining([['RF_TEMPORAL_ADDRESS'], ['RF_POLICY_PUBLIC_KEY']]),
    );
  });

  it('gives every Helm Deployment each variable its service requires in production', () => {
    const environments = helmEnvironments();
    expect([...environments.keys()].sort()).toEqual([...Object.keys(PROCESSES)].sort());
    expect(missingFromHelm(environments)).toEqual([]);
  });

  it('notices a production-required variable the chart stops rendering', () => {
    const environments = helmEnvironments('--set', 'images.trust.trustedKeys=false');
    expect(missingFromHelm(environments)).toEqual([
      'drift: RF_IMAGES_TRUSTED_KEYS_FILE or RF_IMAGES_SIGSTORE_TRUSTED_ROOT',
    ]);
  });

  describe('docker-compose.yml', () => {
    interface ComposeService {
      readonly environment?: Record<string, string | number>;
      readonly volumes?: readonly string[];
    }
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, ComposeService>;
    };

    it.each(Object.entries(PROCESSES))('gives %s an environment its loader accepts', (name, service) => {
      const definition = compose.services[name];
      expect(definition).toBeDefined();
      const env = Object.fromEntries(
        Object.entries(definition?.environment ?? {}).map(([k, v]) => [k, String(v)]),
      );
      expect(problemsOf(service, env)).toEqual([]);
      const bundle = env['RF_POLICY_BUNDLE'];
      if (bundle) {
        const targets = (definition?.volumes ?? []).map((v) => v.split(':')[1]);
        expect(targets).toContain(dirname(bundle));
      }
    });
  });
});
