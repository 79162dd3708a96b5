import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { subjectOf } from '@rf/contracts';
import { forwardedPrincipalHeader } from '@rf/platform-auth/testing';
import { processEnvironment } from '@rf/platform-config';
import {
  CONTRACT_EVENT_CATALOGUE,
  encodeWireFormat,
  SchemaIdResolver,
  SchemaPublisher,
  toKafkaHeaders,
} from '@rf/platform-events';
import { connectEventInbox, KAFKA } from '@rf/platform-runtime';
import { stackEndpoints, testServiceEnvironment, waitFor } from '@rf/platform-testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Kafka, Producer } from 'kafkajs';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { DRIFT_DETECTED } from '../application/remediation-event-types';
import { REMEDIATION_WORKFLOWS_PATH } from '../infrastructure/temporal/remediation-worker.factory';
import { loadRemediationConfig, type RemediationConfig } from '../remediation.config';
import { RemediationModule } from '../remediation.module';

const ROOT = resolve(__dirname, '../../../..');

export interface SignedPolicyBundle {
  readonly bundlePath: string;
  /** The PEM a prod-mode gate verifies the bundle with. */
  readonly publicKeyPem: string;
}

/** A signed build of the committed policies, and the public key a prod-mode gate verifies it with. */
export function buildSignedPolicyBundle(): SignedPolicyBundle {
  const dir = mkdtempSync(join(tmpdir(), 'rf-remediation-policy-'));
  const keys = generateKeyPairSync('ed25519');
  const privateKeyPath = join(dir, 'signing.pem');
  writeFileSync(privateKeyPath, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const bundlePath = join(dir, 'bundle.tar.gz');
  execFileSync(
    join(ROOT, 'contracts/policies/build.sh'),
    ['--no-record', '--sign', privateKeyPath, bundlePath],
    {
      stdio: 'pipe',
      env: { ...processEnvironment(), RF_OPA_BIN: stackEndpoints().opaBin },
    },
  );
  return { bundlePath, publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function remediationTestConfig(
  policy: SignedPolicyBundle,
  overrides: Record<string, string> = {},
): RemediationConfig {
  return loadRemediationConfig(
    testServiceEnvironment('remediation', {
      RF_POLICY_MODE: 'prod',
      RF_POLICY_BUNDLE: policy.bundlePath,
      RF_POLICY_PUBLIC_KEY: policy.publicKeyPem,
      RF_REMEDIATION_TASK_QUEUE: `rf-remediation-test-${randomUUID()}`,
      RF_REMEDIATION_SIM_LATENCY_MS: '5-20',
      RF_REMEDIATION_SOAK_SECONDS: '0',
      RF_REMEDIATION_STARTER_INTERVAL_MS: '200',
      RF_REMEDIATION_COOLDOWN_SECONDS: '600',
      ...overrides,
    }),
  );
}

/**
 * The `X-RF-Principal` header the gateway forwards for a person: an admin (so every route's action
 * is granted), named as the suite names who acts, since the forwarded caller is the recorded actor.
 */
export function forwardedCaller(id = 'u-sre', org = 'acme'): Promise<Record<string, string>> {
  return forwardedPrincipalHeader('remediation', { role: 'admin', id, org });
}

/** The remediation test database, emptied: only this service's tables live there. */
export async function resetRemediationDatabase(config: RemediationConfig): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: config.database.url });
  await admin.initialize();
  await admin.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await admin.destroy();
}

export async function startRemediationApp(
  config: RemediationConfig,
): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule({
    imports: [RemediationModule.register(config)],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  connectEventInbox(app, config);
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url };
}

/** Bundles the workflows once per test file; workers then start in a fraction of a second. */
export async function bundleRemediationWorkflows(): Promise<{ codePath: string }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: REMEDIATION_WORKFLOWS_PATH });
  const dir = mkdtempSync(join(tmpdir(), 'rf-remediation-wf-'));
  const codePath = join(dir, 'workflows.js');
  writeFileSync(codePath, code);
  return { codePath };
}

/** Produces drift.detected as the drift service would: wire format with the registry's schema id. */
export class DriftEventProducer {
  private producer: Producer | null = null;

  constructor(
    private readonly app: INestApplication,
    private readonly registryUrl: string,
  ) {}

  /** Sends in `organisation` (ce_organisation), the tests' callers' organisation unless named. */
  async send(
    data: Record<string, unknown> & { assetId: string },
    id = randomUUID(),
    organisation: string | null = 'acme',
  ): Promise<string> {
    const descriptor = CONTRACT_EVENT_CATALOGUE.describe(DRIFT_DETECTED);
    if (!descriptor) throw new Error('drift.detected is not in the catalogue');
    const subject = subjectOf(DRIFT_DETECTED);
    const resolver = new SchemaIdResolver(this.registryUrl);
    let schemaId: number;
    try {
      schemaId = await resolver.resolve(subject);
    } catch {
      await new SchemaPublisher(this.registryUrl).register([{ subject, schema: descriptor.registrySchema }]);
      schemaId = await new SchemaIdResolver(this.registryUrl).resolve(subject);
    }
    if (!this.producer) {
      this.producer = this.app.get<Kafka>(KAFKA).producer({ allowAutoTopicCreation: false });
      await this.producer.connect();
    }
    await this.producer.send({
      topic: descriptor.topic,
      acks: -1,
      messages: [
        {
          key: data.assetId,
          value: encodeWireFormat(schemaId, data),
          headers: toKafkaHeaders({
            id,
            source: '/rf/drift',
            type: DRIFT_DETECTED,
            specversion: '1.0',
            time: new Date().toISOString(),
            subject: data.assetId,
            dataschema: null,
            correlationId: id,
            causationId: null,
            organisation,
            traceparent: null,
            tracestate: null,
          }),
        },
      ],
    });
    return id;
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
  }
}

export interface OutboxRow {
  event_type: string;
  aggregate_id: string;
  data: Record<string, unknown>;
}

/** Events of a plan in the outbox, oldest first. */
export function planEvents(db: DataSource, planId: string): Promise<OutboxRow[]> {
  return db.query<OutboxRow[]>(
    `SELECT event_type, aggregate_id, data FROM outbox WHERE aggregate_id = $1 ORDER BY id`,
    [planId],
  );
}

export function waitForPlanStatus(
  db: DataSource,
  planId: string,
  status: string,
  timeoutMs = 60_000,
): Promise<string> {
  return waitFor(
    async () => {
      const [row] = await db.query<{ status: string }[]>(
        'SELECT status FROM remediation_plans WHERE id = $1',
        [planId],
      );
      return row?.status === status ? row.status : undefined;
    },
    { timeoutMs, intervalMs: 100, description: `plan ${planId} ${status}` },
  );
}
