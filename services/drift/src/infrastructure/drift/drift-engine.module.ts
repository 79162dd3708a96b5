import { type DynamicModule, Module } from '@nestjs/common';
import { type UnitOfWork } from '@rf/platform-events';
import { UNIT_OF_WORK } from '@rf/platform-runtime';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DriftController } from '../../api/drift/drift.controller';
import { ApplyDriftInputHandler } from '../../application/drift/commands/apply-drift-input/apply-drift-input.handler';
import { ReconcileDriftHandler } from '../../application/drift/commands/reconcile-drift/reconcile-drift.handler';
import { TakeDriftSnapshotsHandler } from '../../application/drift/commands/take-drift-snapshots/take-drift-snapshots.handler';
import { TrackRemediationHandler } from '../../application/drift/commands/track-remediation/track-remediation.handler';
import { DRIFT_CLOCK, DRIFT_ENGINE_SETTINGS, DRIFT_READ_MODEL } from '../../application/drift/drift.tokens';
import type { DriftClock } from '../../application/drift/ports/drift-clock.port';
import type { DriftReadModel } from '../../application/drift/ports/drift-read-model.port';
import { GetDriftReportHandler } from '../../application/drift/queries/get-drift-report/get-drift-report.handler';
import { GetDriftTrendHandler } from '../../application/drift/queries/get-drift-trend/get-drift-trend.handler';
import { SystemDriftClock } from './clock/system-drift.clock';
import type { DriftEngineSettings } from './drift-engine.config';
import { DriftInputConsumer } from './messaging/drift-input.consumer';
import { PostgresDriftReadModel } from './persistence/postgres-drift.read-model';
import { DriftMaintenance } from './scheduling/drift-maintenance';
import { DriftScheduler } from './scheduling/drift.scheduler';

const DAY_MS = 86_400_000;

/**
 * The drift engine: read models fed by asset.* and image.* events, compliance verdicts and counters,
 * drift.detected/resolved and snapshots through the outbox, and the drift report API. Its migrations
 * are DRIFT_ENGINE_MIGRATIONS, registered with the platform by the service module.
 */
@Module({})
export class DriftEngineModule {
  static register(settings: DriftEngineSettings): DynamicModule {
    return {
      module: DriftEngineModule,
      controllers: [DriftController, DriftInputConsumer],
      providers: [
        { provide: DRIFT_ENGINE_SETTINGS, useValue: settings },
        { provide: DRIFT_CLOCK, useClass: SystemDriftClock },
        {
          provide: DRIFT_READ_MODEL,
          useFactory: (dataSource: DataSource) => new PostgresDriftReadModel(dataSource),
          inject: [DataSource],
        },
        { provide: ApplyDriftInputHandler, useFactory: () => new ApplyDriftInputHandler(randomUUID) },
        { provide: TrackRemediationHandler, useFactory: () => new TrackRemediationHandler() },
        { provide: ReconcileDriftHandler, useFactory: () => new ReconcileDriftHandler(randomUUID) },
        {
          provide: TakeDriftSnapshotsHandler,
          useFactory: () =>
            new TakeDriftSnapshotsHandler(randomUUID, settings.snapshotRetentionDays * DAY_MS),
        },
        {
          provide: GetDriftReportHandler,
          useFactory: (readModel: DriftReadModel, clock: DriftClock) =>
            new GetDriftReportHandler(readModel, clock, settings.reportMaxAgeMs),
          inject: [DRIFT_READ_MODEL, DRIFT_CLOCK],
        },
        {
          provide: GetDriftTrendHandler,
          useFactory: (readModel: DriftReadModel) => new GetDriftTrendHandler(readModel),
          inject: [DRIFT_READ_MODEL],
        },
        {
          provide: DriftMaintenance,
          useFactory: (
            uow: UnitOfWork,
            apply: ApplyDriftInputHandler,
            reconcile: ReconcileDriftHandler,
            snapshots: TakeDriftSnapshotsHandler,
          ) => new DriftMaintenance(uow, apply, reconcile, snapshots),
          inject: [UNIT_OF_WORK, ApplyDriftInputHandler, ReconcileDriftHandler, TakeDriftSnapshotsHandler],
        },
        {
          provide: DriftScheduler,
          useFactory: (maintenance: DriftMaintenance, clock: DriftClock) =>
            new DriftScheduler(maintenance, clock, {
              tickMs: settings.tickMs,
              reconcileMs: settings.reconcileIntervalMs,
            }),
          inject: [DriftMaintenance, DRIFT_CLOCK],
        },
      ],
      exports: [DriftMaintenance],
    };
  }
}
