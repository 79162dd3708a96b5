import { ConfigError } from '@rf/platform-config';
import { loadRemediationConfig } from './remediation.config';

describe('loadRemediationConfig', () => {
  it('defaults to the simulated fleet, dev-mode gate and the seed weights', () => {
    const c = loadRemediationConfig({});
    expect(c.temporal).toEqual({ address: '127.0.0.1:17233', namespace: 'default' });
    expect(c.remediation.riskWeights).toEqual({
      severity: 0.25,
      exploitability: 0.2,
      assetCriticality: 0.2,
      patchMaturity: 0.15,
      dependencies: 0.1,
      rollbackComplexity: 0.1,
    });
    expect(c.auth.policy).toMatchObject({ mode: 'dev', publicKey: null });
    expect(c.remediation.executor).toEqual({
      kind: 'simulated',
      latencyMs: { min: 50, max: 250 },
      failureRate: 0,
    });
    expect(c.remediation.health).toEqual({ provider: 'simulated' });
  });

  it('lists every problem at once', () => {
    let problems: readonly string[] = [];
    try {
      loadRemediationConfig({
        RF_ENV: 'production',
        RF_POLICY_MODE: 'dev',
        RF_REMEDIATION_RISK_WEIGHTS: JSON.stringify({
          severity: 0.5,
          exploitability: 0.2,
          assetCriticality: 0.2,
          patchMaturity: 0.15,
          dependencies: 0.1,
          rollbackComplexity: 0.1,
        }),
        RF_REMEDIATION_HEALTH_PROVIDER: 'prometheus',
        RF_REMEDIATION_SIM_LATENCY_MS: '300-100',
        RF_REMEDIATION_CANARY_PERCENT: '0',
      });
    } catch (error: unknown) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        'RF_DATABASE_URL: required when RF_ENV=production',
        'RF_REMEDIATION_RISK_WEIGHTS: weights must sum to 1, not 1.2500',
        'wave policy: canaryPercent must be in (0, 100]',
        'RF_POLICY_MODE: must be prod when RF_ENV=production',
        'RF_GATEWAY_PRINCIPAL_PUBLIC_KEY: required when RF_ENV=production',
        'RF_REMEDIATION_SIM_LATENCY_MS: MIN must not exceed MAX',
        'RF_REMEDIATION_PROMETHEUS_URL, _BAD_QUERY and _TOTAL_QUERY: required with the prometheus provider',
      ]),
    );
  });

  it('takes the prometheus provider with its queries', () => {
    const c = loadRemediationConfig({
      RF_REMEDIATION_HEALTH_PROVIDER: 'prometheus',
      RF_REMEDIATION_PROMETHEUS_URL: 'http://prometheus:9090',
      RF_REMEDIATION_PROMETHEUS_BAD_QUERY: 'sum(up{asset=~"$assets"} == 0)',
      RF_REMEDIATION_PROMETHEUS_TOTAL_QUERY: 'count(up{asset=~"$assets"})',
    });
    expect(c.remediation.health).toMatchObject({ provider: 'prometheus', url: 'http://prometheus:9090' });
  });

  it('selects each executor with its settings', () => {
    const aws = { RF_REMEDIATION_AWS_REGION: 'eu-west-1' };
    expect(
      loadRemediationConfig({ ...aws, RF_REMEDIATION_EXECUTOR: 'aws-asg-refresh' }).remediation.executor,
    ).toEqual({
      kind: 'aws-asg-refresh',
      aws: { region: 'eu-west-1', endpoint: undefined },
      minHealthyPercentage: 90,
      instanceWarmupSeconds: undefined,
      pollIntervalMs: 15_000,
      timeoutMs: 600_000,
    });
    expect(
      loadRemediationConfig({
        ...aws,
        RF_REMEDIATION_EXECUTOR: 'aws-ssm-automation',
        RF_REMEDIATION_AWS_ENDPOINT: 'http://127.0.0.1:15000',
        RF_REMEDIATION_SSM_DOCUMENT: 'RF-ReplaceRootVolume',
        RF_REMEDIATION_SSM_PARAMETERS: JSON.stringify({ InstanceId: ['{instanceId}'] }),
        RF_REMEDIATION_EXECUTOR_POLL_MS: '500',
      }).remediation.executor,
    ).toMatchObject({
      kind: 'aws-ssm-automation',
      aws: { endpoint: 'http://127.0.0.1:15000' },
      documentName: 'RF-ReplaceRootVolume',
      parameters: { InstanceId: ['{instanceId}'] },
      pollIntervalMs: 500,
    });
    expect(
      loadRemediationConfig({ ...aws, RF_REMEDIATION_EXECUTOR: 'aws-root-volume' }).remediation.executor,
    ).toMatchObject({
      kind: 'aws-root-volume',
    });
    const vsphere = loadRemediationConfig({
      RF_REMEDIATION_EXECUTOR: 'vsphere-clone-swap',
      RF_REMEDIATION_VSPHERE_URL: 'https://vcenter.example/sdk',
      RF_REMEDIATION_VSPHERE_USERNAME: 'svc-rf',
      RF_REMEDIATION_VSPHERE_PASSWORD: 's3cret',
    }).remediation.executor;
    expect(vsphere).toMatchObject({ kind: 'vsphere-clone-swap', templateName: 'golden-{version}' });
    // The password is not in the config's JSON (logs), only behind reveal().
    expect(JSON.stringify(vsphere)).not.toContain('s3cret');
    expect(vsphere.kind === 'vsphere-clone-swap' && vsphere.password.reveal()).toBe('s3cret');
  });

  it('lists what a chosen executor is missing', () => {
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadRemediationConfig(env);
        return [];
      } catch (error: unknown) {
        return error instanceof ConfigError ? error.problems : [];
      }
    };
    expect(problemsOf({ RF_REMEDIATION_EXECUTOR: 'aws-asg-refresh' })).toContain(
      'RF_REMEDIATION_AWS_REGION: needed by the aws-asg-refresh executor',
    );
    expect(
      problemsOf({ RF_REMEDIATION_EXECUTOR: 'aws-ssm-command', RF_REMEDIATION_AWS_REGION: 'eu-west-1' }),
    ).toContain('RF_REMEDIATION_SSM_DOCUMENT and _PARAMETERS: needed by the aws-ssm-command executor');
    expect(problemsOf({ RF_REMEDIATION_EXECUTOR: 'vsphere-clone-swap' })).toContain(
      'RF_REMEDIATION_VSPHERE_URL, _USERNAME and _PASSWORD: needed by the vsphere-clone-swap executor',
    );
    expect(problemsOf({ RF_REMEDIATION_EXECUTOR: 'azure' })[0]).toMatch(/^RF_REMEDIATION_EXECUTOR: /u);
  });

  it('batches drift within a window and plans each drift alone without one', () => {
    expect(loadRemediationConfig({}).remediation).toMatchObject({
      driftBatchWindowMs: 0,
      driftBatchIntervalMs: 1000,
    });
    expect(
      loadRemediationConfig({ RF_REMEDIATION_DRIFT_BATCH_WINDOW_SECONDS: '1.5' }).remediation
        .driftBatchWindowMs,
    ).toBe(1500);
  });

  it('selects a cloud-group executor with its asset targets and credential choice', () => {
    const asset = '6f0e9c1e-0000-4000-8000-000000000001';
    const targets = {
      [asset]: {
        group: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/web',
        image:
          '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/rhel9/versions/{version}',
      },
      // One organisation's asset, mapped to that organisation's own scale set.
      [`globex/${asset}`]: {
        group: '/subscriptions/g/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/web',
        image:
          '/subscriptions/g/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/{version}',
      },
    };
    expect(() =>
      loadRemediationConfig({
        RF_REMEDIATION_EXECUTOR: 'azure-vmss',
        RF_REMEDIATION_CLOUD_GROUPS: JSON.stringify({ 'not an asset': targets[asset] }),
      }),
    ).toThrow(/RF_REMEDIATION_CLOUD_GROUPS.not an asset: Invalid key/u);
    const c = loadRemediationConfig({
      RF_REMEDIATION_EXECUTOR: 'azure-vmss',
      RF_REMEDIATION_CLOUD_GROUPS: JSON.stringify(targets),
      RF_REMEDIATION_AZURE_AUTH: 'managedIdentity',
      RF_REMEDIATION_AZURE_CLIENT_ID: 'mi-client',
    });
    expect(c.remediation.executor.kind).toBe('azure-vmss');
    expect(c.remediation.cloudGroups).toEqual({
      targets,
      pollIntervalMs: 5000,
      timeoutMs: 3_600_000,
      azure: { auth: { type: 'managedIdentity', clientId: 'mi-client' } },
      gcp: {},
    });
    expect(loadRemediationConfig({}).remediation.cloudGroups).toBeNull();
  });

  it('refuses a cloud-group executor without targets or with half a service principal', () => {
    let problems: readonly string[] = [];
    try {
      loadRemediationConfig({
        RF_REMEDIATION_EXECUTOR: 'gcp-mig',
        RF_REMEDIATION_AZURE_AUTH: 'servicePrincipal',
        RF_REMEDIATION_AZURE_TENANT_ID: 't',
      });
    } catch (error: unknown) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        'RF_REMEDIATION_CLOUD_GROUPS: required with the gcp-mig executor',
        expect.stringMatching(
          /^RF_REMEDIATION_AZURE_TENANT_ID, _CLIENT_ID and _CLIENT_SECRET_FILE: required/u,
        ),
      ]),
    );
  });
});
