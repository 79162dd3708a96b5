import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { ServiceAuthModule } from '@rf/platform-auth';
import type { Ed25519NoteSigner, NoteVerifyingKey } from '@rf/platform-ledger-proof';
import { PlatformModule } from '@rf/platform-runtime';
import { DataSource } from 'typeorm';
import { LedgerController } from './api/ledger.controller';
import { AddWitnessCosignatureHandler } from './application/commands/add-witness-cosignature/add-witness-cosignature.handler';
import { PublishCheckpointHandler } from './application/commands/publish-checkpoint/publish-checkpoint.handler';
import {
  CHECKPOINT_SIGNERS,
  CLOCK,
  COSIGNATURE_STORE,
  DRIFT_EVIDENCE_SOURCE,
  LEDGER_ORIGIN,
  LEDGER_REPOSITORY,
  LEDGER_VKEYS,
  PAYLOAD_STORE,
  WITNESS_KEYS,
  WORKFLOW_HISTORY_SOURCE,
} from './application/ledger.tokens';
import type { CheckpointSigner } from './application/ports/checkpoint-signer.port';
import type { Clock } from './application/ports/clock.port';
import type { CosignatureStore } from './application/ports/cosignature-store.port';
import type { DriftEvidenceSource } from './application/ports/drift-evidence-source.port';
import type { LedgerRepository } from './application/ports/ledger.repository.port';
import type { PayloadStore } from './application/ports/payload-store.port';
import type { WorkflowHistorySource } from './application/ports/workflow-history-source.port';
import { GenerateEvidencePackHandler } from './application/queries/generate-evidence-pack/generate-evidence-pack.handler';
import { GetAuditBundleHandler } from './application/queries/get-audit-bundle/get-audit-bundle.handler';
import { GetCheckpointHandler } from './application/queries/get-checkpoint/get-checkpoint.handler';
import { GetConsistencyProofHandler } from './application/queries/get-consistency-proof/get-consistency-proof.handler';
import { GetEntryHandler } from './application/queries/get-entry/get-entry.handler';
import { GetInclusionProofHandler } from './application/queries/get-inclusion-proof/get-inclusion-proof.handler';
import { GetLatestCheckpointHandler } from './application/queries/get-latest-checkpoint/get-latest-checkpoint.handler';
import { SystemClock } from './infrastructure/clock/system.clock';
import { HttpDriftEvidenceSource } from './infrastructure/drift/http-drift-evidence.source';
import { EvidenceEventConsumer } from './infrastructure/messaging/evidence-event.consumer';
import { LEDGER_MIGRATIONS } from './infrastructure/persistence/ledger-migrations';
import { PostgresCosignatureStore } from './infrastructure/persistence/postgres-cosignature.store';
import { PostgresLedgerRepository } from './infrastructure/persistence/postgres-ledger.repository';
import { PostgresPayloadStore } from './infrastructure/persistence/postgres-payload.store';
import { CheckpointScheduler } from './infrastructure/scheduling/checkpoint.scheduler';
import { loadCheckpointSigners } from './infrastructure/signing/checkpoint-signers';
import { DevSigningKeyStore } from './infrastructure/signing/dev-signing-key.store';
import { TemporalWorkflowHistorySource } from './infrastructure/workflow-history/temporal-workflow-history.source';
import type { LedgerConfig } from './ledger.config';

/** The evidence ledger: consumes evidence events, signs checkpoints, serves proofs. */
@Module({})
export class LedgerModule {
  static register(config: LedgerConfig): DynamicModule {
    return {
      module: LedgerModule,
      imports: [
        PlatformModule.forService({ config, migrations: [...LEDGER_MIGRATIONS] }),
        // Callers reach the ledger through the gateway, which forwards them as a signed principal.
        ServiceAuthModule.forService({ service: 'ledger', settings: config.auth }),
      ],
      controllers: [LedgerController, EvidenceEventConsumer],
      providers: [
        { provide: CLOCK, useClass: SystemClock },
        { provide: LEDGER_ORIGIN, useValue: config.ledger.origin },
        {
          provide: LEDGER_REPOSITORY,
          useFactory: (dataSource: DataSource) => new PostgresLedgerRepository(dataSource),
          inject: [DataSource],
        },
        {
          provide: PAYLOAD_STORE,
          useFactory: (dataSource: DataSource) => new PostgresPayloadStore(dataSource),
          inject: [DataSource],
        },
        {
          provide: CHECKPOINT_SIGNERS,
          useFactory: (dataSource: DataSource) =>
            loadCheckpointSigners(config, new DevSigningKeyStore(dataSource)),
          inject: [DataSource],
        },
        {
          provide: LEDGER_VKEYS,
          useFactory: (signers: readonly Ed25519NoteSigner[]) => signers.map((s) => s.verifier.toVkey()),
          inject: [CHECKPOINT_SIGNERS],
        },
        {
          provide: WORKFLOW_HISTORY_SOURCE,
          useFactory: () => new TemporalWorkflowHistorySource(config.ledger.workflowHistory),
        },
        {
          provide: DRIFT_EVIDENCE_SOURCE,
          useValue: config.ledger.drift === null ? null : new HttpDriftEvidenceSource(config.ledger.drift),
        },
        {
          provide: COSIGNATURE_STORE,
          useFactory: (dataSource: DataSource) => new PostgresCosignatureStore(dataSource),
          inject: [DataSource],
        },
        { provide: WITNESS_KEYS, useValue: config.ledger.witnessKeys },
        {
          provide: AddWitnessCosignatureHandler,
          useFactory: (r: LedgerRepository, s: CosignatureStore, w: readonly NoteVerifyingKey[], c: Clock) =>
            new AddWitnessCosignatureHandler(r, s, w, c),
          inject: [LEDGER_REPOSITORY, COSIGNATURE_STORE, WITNESS_KEYS, CLOCK],
        },
        {
          provide: GetCheckpointHandler,
          useFactory: (r: LedgerRepository, s: CosignatureStore) => new GetCheckpointHandler(r, s),
          inject: [LEDGER_REPOSITORY, COSIGNATURE_STORE],
        },
        {
          provide: GenerateEvidencePackHandler,
          useFactory: (
            r: LedgerRepository,
            p: PayloadStore,
            h: WorkflowHistorySource,
            s: CosignatureStore,
            vkeys: readonly string[],
            d: DriftEvidenceSource | null,
          ) => new GenerateEvidencePackHandler(r, p, h, s, vkeys, d ?? undefined),
          inject: [
            LEDGER_REPOSITORY,
            PAYLOAD_STORE,
            WORKFLOW_HISTORY_SOURCE,
            COSIGNATURE_STORE,
            LEDGER_VKEYS,
            DRIFT_EVIDENCE_SOURCE,
          ],
        },
        {
          provide: PublishCheckpointHandler,
          useFactory: (r: LedgerRepository, s: readonly CheckpointSigner[], c: Clock, origin: string) =>
            new PublishCheckpointHandler(r, s, c, origin),
          inject: [LEDGER_REPOSITORY, CHECKPOINT_SIGNERS, CLOCK, LEDGER_ORIGIN],
        },
        {
          provide: GetLatestCheckpointHandler,
          useFactory: (r: LedgerRepository) => new GetLatestCheckpointHandler(r),
          inject: [LEDGER_REPOSITORY],
        },
        {
          provide: GetEntryHandler,
          useFactory: (r: LedgerRepository, p: PayloadStore) =>
            new GetEntryHandler(r, p, new Logger('LedgerTenancy')),
          inject: [LEDGER_REPOSITORY, PAYLOAD_STORE],
        },
        {
          provide: GetInclusionProofHandler,
          useFactory: (r: LedgerRepository) => new GetInclusionProofHandler(r, new Logger('LedgerTenancy')),
          inject: [LEDGER_REPOSITORY],
        },
        {
          provide: GetConsistencyProofHandler,
          useFactory: (r: LedgerRepository) => new GetConsistencyProofHandler(r),
          inject: [LEDGER_REPOSITORY],
        },
        {
          provide: GetAuditBundleHandler,
          useFactory: (r: LedgerRepository, p: PayloadStore) => new GetAuditBundleHandler(r, p),
          inject: [LEDGER_REPOSITORY, PAYLOAD_STORE],
        },
        {
          provide: CheckpointScheduler,
          useFactory: (publish: PublishCheckpointHandler) =>
            new CheckpointScheduler(publish, config.ledger.checkpointIntervalMs),
          inject: [PublishCheckpointHandler],
        },
      ],
    };
  }
}
