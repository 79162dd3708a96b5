import { Logger, type Provider } from '@nestjs/common';
import { ServiceAuthModule } from '@rf/platform-auth';
import type { UnitOfWork, UnitOfWorkContext } from '@rf/platform-events';
import { entrypointOf, POLICIES, POLICY_GATE, type PolicyGate } from '@rf/platform-policy';
import { UNIT_OF_WORK } from '@rf/platform-runtime';
import { DataSource } from 'typeorm';
import { ApprovePlanHandler } from './application/commands/approve-plan/approve-plan.handler';
import { DriftBatcher } from './application/commands/batch-drift/drift-batcher';
import { CreatePlanHandler, type PlanStores } from './application/commands/create-plan/create-plan.handler';
import { OverrideRiskHandler } from './application/commands/override-risk/override-risk.handler';
import { PlanStarter } from './application/commands/start-plans/plan-starter';
import { SteerPlanHandler } from './application/commands/steer-plan/steer-plan.handler';
import type { Clock } from './application/ports/clock.port';
import type { MetricProvider } from './application/ports/metric-provider.port';
import type { RemediationExecutor } from './application/ports/remediation-executor.port';
import type { RolloutWorkflows } from './application/ports/rollout-workflows.port';
import { RemediationCommands } from './application/remediation-commands';
import {
  CLOCK,
  METRIC_PROVIDER,
  REMEDIATION_EXECUTOR,
  REMEDIATION_GATE,
  REMEDIATION_SETTINGS,
  RISK_ANALYSER,
  ROLLOUT_WORKFLOWS,
} from './application/remediation.tokens';
import { WaveGate } from './application/wave-gate';
import { RiskAnalyser } from './domain/risk/risk-analyser';
import { SystemClock } from './infrastructure/clock/system.clock';
import { createRemediationExecutor } from './infrastructure/executors/remediation-executor.factory';
import { HttpHealthCheckMetricProvider } from './infrastructure/health/http-health-check.metric-provider';
import { PrometheusMetricProvider } from './infrastructure/health/prometheus.metric-provider';
import { SimulatedFleetMetricProvider } from './infrastructure/health/simulated-fleet.metric-provider';
import { PostgresAssessmentRepository } from './infrastructure/persistence/postgres-assessment.repository';
import { PostgresDriftBatchRepository } from './infrastructure/persistence/postgres-drift-batch.repository';
import { PostgresPlanRepository } from './infrastructure/persistence/postgres-plan.repository';
import { DriftBatchCloserScheduler } from './infrastructure/scheduling/drift-batch-closer.scheduler';
import { PlanStarterScheduler } from './infrastructure/scheduling/plan-starter.scheduler';
import { createRemediationActivities } from './infrastructure/temporal/remediation.activities';
import { TemporalClientProvider } from './infrastructure/temporal/temporal-client.provider';
import { TemporalRolloutWorkflows } from './infrastructure/temporal/temporal-rollout.workflows';
import type { RemediationConfig, RemediationServiceSettings } from './remediation.config';

export const REMEDIATION_ACTIVITIES = Symbol('remediation.Activities');

/**
 * The service's one policy gate, on the committed bundle with every decision recorded through the
 * outbox: route authorisation (`rf.authz`, with the forwarded principal) and wave decisions
 * (`rf.remediation`) share its bundle and hot reload.
 */
export function remediationAuthModule(config: RemediationConfig) {
  return ServiceAuthModule.forService({
    service: 'remediation',
    settings: config.auth,
    requiredEntrypoints: [entrypointOf(POLICIES.remediation)],
  });
}

function metricProvider(settings: RemediationServiceSettings, dataSource: DataSource): MetricProvider {
  const h = settings.health;
  switch (h.provider) {
    case 'simulated':
      return new SimulatedFleetMetricProvider(dataSource);
    case 'prometheus':
      return new PrometheusMetricProvider(h.url, { bad: h.badQuery, total: h.totalQuery });
    case 'http':
      return new HttpHealthCheckMetricProvider(h.urlTemplate);
  }
}

/** Ports and use cases shared by the API process and the worker. */
export function coreProviders(config: RemediationConfig): Provider[] {
  const settings = config.remediation;
  return [
    { provide: CLOCK, useClass: SystemClock },
    { provide: REMEDIATION_SETTINGS, useValue: settings },
    { provide: RISK_ANALYSER, useFactory: () => new RiskAnalyser({ weights: settings.riskWeights }) },
    {
      provide: REMEDIATION_GATE,
      useFactory: (gate: PolicyGate, clock: Clock) => new WaveGate(gate, settings, clock),
      inject: [POLICY_GATE, CLOCK],
    },
    {
      provide: REMEDIATION_EXECUTOR,
      useFactory: (dataSource: DataSource): RemediationExecutor =>
        createRemediationExecutor(settings.executor, dataSource, settings.cloudGroups),
      inject: [DataSource],
    },
    {
      provide: METRIC_PROVIDER,
      useFactory: (dataSource: DataSource) => metricProvider(settings, dataSource),
      inject: [DataSource],
    },
  ];
}

/** The API process: use cases, the Temporal client and the plan starter. */
export function apiProviders(config: RemediationConfig): Provider[] {
  const settings = config.remediation;
  const temporal = config.temporal;
  if (!temporal) throw new Error('remediation needs Temporal settings');
  return [
    ...coreProviders(config),
    {
      provide: TemporalClientProvider,
      useFactory: () => new TemporalClientProvider(temporal),
    },
    {
      provide: ROLLOUT_WORKFLOWS,
      useFactory: (c: TemporalClientProvider): RolloutWorkflows =>
        new TemporalRolloutWorkflows(() => c.client(), settings.taskQueue),
      inject: [TemporalClientProvider],
    },
    {
      provide: PlanStarter,
      useFactory: (dataSource: DataSource, workflows: RolloutWorkflows, clock: Clock) =>
        new PlanStarter(new PostgresPlanRepository(dataSource.manager), workflows, clock),
      inject: [DataSource, ROLLOUT_WORKFLOWS, CLOCK],
    },
    {
      provide: PlanStarterScheduler,
      useFactory: (starter: PlanStarter) => new PlanStarterScheduler(starter, settings.starterIntervalMs),
      inject: [PlanStarter],
    },
    {
      provide: RemediationCommands,
      useFactory: (
        unitOfWork: UnitOfWork,
        dataSource: DataSource,
        analyser: RiskAnalyser,
        gate: WaveGate,
        clock: Clock,
        starter: PlanStarter,
        workflows: RolloutWorkflows,
      ) => {
        const stores = (work: UnitOfWorkContext | null): PlanStores => {
          const manager = work?.manager ?? dataSource.manager;
          return {
            plans: new PostgresPlanRepository(manager),
            assessments: new PostgresAssessmentRepository(manager),
          };
        };
        return new RemediationCommands(
          unitOfWork,
          stores,
          {
            create: new CreatePlanHandler(analyser, gate, settings, clock),
            approve: new ApprovePlanHandler(gate, clock),
            steer: new SteerPlanHandler(clock),
            override: new OverrideRiskHandler(clock),
          },
          starter,
          workflows,
          new Logger('RemediationCommands'),
        );
      },
      inject: [
        UNIT_OF_WORK,
        DataSource,
        RISK_ANALYSER,
        REMEDIATION_GATE,
        CLOCK,
        PlanStarter,
        ROLLOUT_WORKFLOWS,
      ],
    },
    {
      provide: DriftBatcher,
      useFactory: (unitOfWork: UnitOfWork, commands: RemediationCommands, clock: Clock) =>
        new DriftBatcher(
          settings.driftBatchWindowMs,
          (work) => ({
            batches: new PostgresDriftBatchRepository(work.manager),
            plans: new PostgresPlanRepository(work.manager),
          }),
          (work, command) => commands.planIn(work, command),
          unitOfWork,
          clock,
          new Logger('DriftBatcher'),
        ),
      inject: [UNIT_OF_WORK, RemediationCommands, CLOCK],
    },
    {
      provide: DriftBatchCloserScheduler,
      useFactory: (batcher: DriftBatcher, starter: PlanStarter) =>
        new DriftBatchCloserScheduler(batcher, starter, settings.driftBatchIntervalMs),
      inject: [DriftBatcher, PlanStarter],
    },
  ];
}

/** The worker process: the activities over the shared ports. */
export function workerProviders(config: RemediationConfig): Provider[] {
  return [
    ...coreProviders(config),
    {
      provide: REMEDIATION_ACTIVITIES,
      useFactory: (
        unitOfWork: UnitOfWork,
        gate: WaveGate,
        executor: RemediationExecutor,
        metrics: MetricProvider,
        clock: Clock,
      ) =>
        createRemediationActivities({
          unitOfWork,
          gate,
          executor,
          metrics,
          clock,
          settings: config.remediation,
        }),
      inject: [UNIT_OF_WORK, REMEDIATION_GATE, REMEDIATION_EXECUTOR, METRIC_PROVIDER, CLOCK],
    },
  ];
}
