import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceAuthModule } from '@rf/platform-auth';
import type { UnitOfWork } from '@rf/platform-events';
import { PlatformModule, UNIT_OF_WORK } from '@rf/platform-runtime';
import { DataSource } from 'typeorm';
import { ComplianceController } from './api/compliance.controller';
import { CLOCK, COMPLIANCE_TENANTS, COMPLIANCE_THRESHOLDS } from './application/compliance.tokens';
import type { Clock } from './application/ports/clock.port';
import type { ComplianceTenants } from './application/ports/compliance.store.port';
import { ExplainScoreHandler } from './application/queries/explain-score/explain-score.handler';
import type { ComplianceConfig } from './compliance.config';
import type { ComplianceThresholds } from './domain/scoring/compliance-thresholds';
import { SystemClock } from './infrastructure/clock/system.clock';
import { ComplianceEventConsumer } from './infrastructure/messaging/compliance-event.consumer';
import { COMPLIANCE_MIGRATIONS } from './infrastructure/persistence/compliance-migrations';
import { PostgresComplianceTenants } from './infrastructure/persistence/postgres-compliance.tenants';
import { AggregateScoreScheduler } from './infrastructure/scheduling/aggregate-score.scheduler';

/** Compliance scoring: consumes inventory, image, drift, recovery and evidence events; serves scores. */
@Module({})
export class ComplianceModule {
  static register(config: ComplianceConfig): DynamicModule {
    return {
      module: ComplianceModule,
      imports: [
        PlatformModule.forService({ config, migrations: [...COMPLIANCE_MIGRATIONS] }),
        // Callers reach compliance through the gateway, which forwards them as a signed principal.
        ServiceAuthModule.forService({ service: 'compliance', settings: config.auth }),
      ],
      controllers: [ComplianceController, ComplianceEventConsumer],
      providers: [
        { provide: CLOCK, useClass: SystemClock },
        { provide: COMPLIANCE_THRESHOLDS, useValue: config.compliance.thresholds },
        {
          provide: COMPLIANCE_TENANTS,
          useFactory: (dataSource: DataSource) => new PostgresComplianceTenants(dataSource),
          inject: [DataSource],
        },
        {
          provide: AggregateScoreScheduler,
          useFactory: (uow: UnitOfWork, thresholds: ComplianceThresholds, clock: Clock) =>
            new AggregateScoreScheduler(uow, thresholds, clock, config.compliance.aggregateIntervalMs),
          inject: [UNIT_OF_WORK, COMPLIANCE_THRESHOLDS, CLOCK],
        },
        {
          provide: ExplainScoreHandler,
          useFactory: (tenants: ComplianceTenants) => new ExplainScoreHandler(tenants),
          inject: [COMPLIANCE_TENANTS],
        },
      ],
    };
  }
}
