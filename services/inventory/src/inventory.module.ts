import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { ServiceAuthModule } from '@rf/platform-auth';
import { processEnvironment } from '@rf/platform-config';
import { toAppError } from '@rf/platform-errors';
import type { OutboxWriter } from '@rf/platform-events';
import { POLICY_GATE, type PolicyGate } from '@rf/platform-policy';
import { OUTBOX_WRITER, PlatformModule } from '@rf/platform-runtime';
import { DataSource } from 'typeorm';
import { AssetsController } from './api/assets.controller';
import { ConnectorsController } from './api/connectors.controller';
import { ScansController } from './api/scans.controller';
import { CreateConnectorHandler } from './application/commands/create-connector/create-connector.handler';
import { DeleteConnectorHandler } from './application/commands/delete-connector/delete-connector.handler';
import { PruneScanHistoryHandler } from './application/commands/prune-scan-history/prune-scan-history.handler';
import { RunScanHandler } from './application/commands/run-scan/run-scan.handler';
import { StartScanHandler } from './application/commands/start-scan/start-scan.handler';
import { TestConnectorHandler } from './application/commands/test-connector/test-connector.handler';
import { UpdateConnectorHandler } from './application/commands/update-connector/update-connector.handler';
import { ConnectorKindRegistry } from './application/connectors/connector-kind.registry';
import {
  ASSET_CATALOGUE,
  CLOCK,
  CONNECTOR_CONFIGURATIONS,
  CONNECTOR_KINDS,
  CREDENTIAL_RESOLVER,
  INVENTORY_UNIT_OF_WORK,
  REMOVAL_POLICY,
  SCAN_HISTORY,
  SCAN_LOCK,
} from './application/inventory.tokens';
import type { AssetCatalogue } from './application/ports/asset-catalogue.port';
import type { Clock } from './application/ports/clock.port';
import type { ConnectorConfigurationRepository } from './application/ports/connector-configuration.repository.port';
import type { CredentialResolver } from './application/ports/credential-resolver.port';
import type { InventoryUnitOfWork } from './application/ports/inventory-unit-of-work.port';
import type { ScanHistory } from './application/ports/scan-history.port';
import type { ScanLock } from './application/ports/scan-lock.port';
import { GetAssetHandler } from './application/queries/get-asset/get-asset.handler';
import { GetConnectorHandler } from './application/queries/get-connector/get-connector.handler';
import { GetScanHandler } from './application/queries/get-scan/get-scan.handler';
import { ListAssetsHandler } from './application/queries/list-assets/list-assets.handler';
import { ListConnectorsHandler } from './application/queries/list-connectors/list-connectors.handler';
import { ListScansHandler } from './application/queries/list-scans/list-scans.handler';
import { ScanSupervisor } from './application/scanning/scan.supervisor';
import { RemovalPolicy } from './domain/change-detection/removal.policy';
import { CONNECTOR_KINDS as CONNECTOR_KIND_DEFINITIONS } from './infrastructure/connectors/connector-kinds';
import { ReferenceCredentialResolver } from './infrastructure/credentials/reference.credential-resolver';
import { INVENTORY_MIGRATIONS } from './infrastructure/persistence/inventory-migrations';
import { PostgresAssetCatalogue } from './infrastructure/persistence/postgres-asset.catalogue';
import { PostgresConnectorConfigurationRepository } from './infrastructure/persistence/postgres-connector-configuration.repository';
import { PostgresInventoryUnitOfWork } from './infrastructure/persistence/postgres-inventory.unit-of-work';
import { PostgresScanHistory } from './infrastructure/persistence/postgres-scan.history';
import { PostgresScanLock } from './infrastructure/persistence/postgres-scan.lock';
import { ScanSupervisorLifecycle } from './infrastructure/scanning/scan-supervisor.lifecycle';
import { ConnectorScanScheduler } from './infrastructure/scheduling/connector-scan.scheduler';
import { ScanHistoryPruner } from './infrastructure/scheduling/scan-history.pruner';
import { SimulatedFleetSeeder } from './infrastructure/seeding/simulated-fleet.seeder';
import type { InventoryConfig } from './inventory.config';

const systemClock: Clock = { now: () => new Date() };

/** The inventory: connectors and their schedules, scans into the asset graph, and the asset API. */
@Module({})
export class InventoryModule {
  static register(config: InventoryConfig): DynamicModule {
    const settings = config.inventory;
    const logger = new Logger('Scans');
    return {
      module: InventoryModule,
      imports: [
        PlatformModule.forService({ config, migrations: [...INVENTORY_MIGRATIONS] }),
        // Callers reach the inventory through the gateway, which forwards them as a signed principal.
        ServiceAuthModule.forService({ service: 'inventory', settings: config.auth }),
      ],
      controllers: [AssetsController, ConnectorsController, ScansController],
      providers: [
        { provide: CLOCK, useValue: systemClock },
        { provide: REMOVAL_POLICY, useValue: new RemovalPolicy(settings.missedScansBeforeRemoval) },
        { provide: CONNECTOR_KINDS, useValue: new ConnectorKindRegistry(CONNECTOR_KIND_DEFINITIONS) },
        {
          provide: CREDENTIAL_RESOLVER,
          useFactory: () => new ReferenceCredentialResolver(processEnvironment()),
        },
        {
          provide: INVENTORY_UNIT_OF_WORK,
          useFactory: (dataSource: DataSource, outbox: OutboxWriter) =>
            new PostgresInventoryUnitOfWork(dataSource, outbox),
          inject: [DataSource, OUTBOX_WRITER],
        },
        {
          provide: SCAN_LOCK,
          useFactory: (dataSource: DataSource) => new PostgresScanLock(dataSource),
          inject: [DataSource],
        },
        {
          provide: CONNECTOR_CONFIGURATIONS,
          useFactory: (dataSource: DataSource) => new PostgresConnectorConfigurationRepository(dataSource),
          inject: [DataSource],
        },
        {
          provide: ASSET_CATALOGUE,
          useFactory: (dataSource: DataSource) => new PostgresAssetCatalogue(dataSource),
          inject: [DataSource],
        },
        {
          provide: SCAN_HISTORY,
          useFactory: (dataSource: DataSource) => new PostgresScanHistory(dataSource),
          inject: [DataSource],
        },
        {
          provide: RunScanHandler,
          useFactory: (uow: InventoryUnitOfWork, lock: ScanLock, clock: Clock, removal: RemovalPolicy) =>
            new RunScanHandler(uow, lock, clock, removal, {
              chunkSize: settings.scanChunkSize,
              maxReportedProblems: 50,
            }),
          inject: [INVENTORY_UNIT_OF_WORK, SCAN_LOCK, CLOCK, REMOVAL_POLICY],
        },
        {
          provide: ScanSupervisor,
          useFactory: (runScan: RunScanHandler) =>
            new ScanSupervisor(runScan, {
              onCrash: (scanId, error) => {
                const failure = toAppError(error);
                logger.error({ scanId, code: failure.code, err: error }, 'scan ended without its record');
              },
              onFinish: (summary) => {
                logger.log(
                  { scanId: summary.scanId, connectorId: summary.connectorId, counts: summary.counts },
                  `scan ${summary.outcome}`,
                );
              },
            }),
          inject: [RunScanHandler],
        },
        {
          provide: ScanSupervisorLifecycle,
          useFactory: (supervisor: ScanSupervisor) => new ScanSupervisorLifecycle(supervisor),
          inject: [ScanSupervisor],
        },
        {
          provide: StartScanHandler,
          useFactory: (
            connectors: ConnectorConfigurationRepository,
            kinds: ConnectorKindRegistry,
            credentials: CredentialResolver,
            supervisor: ScanSupervisor,
          ) => new StartScanHandler(connectors, kinds, credentials, supervisor),
          inject: [CONNECTOR_CONFIGURATIONS, CONNECTOR_KINDS, CREDENTIAL_RESOLVER, ScanSupervisor],
        },
        {
          provide: CreateConnectorHandler,
          useFactory: (c: ConnectorConfigurationRepository, k: ConnectorKindRegistry, clock: Clock) =>
            new CreateConnectorHandler(c, k, clock),
          inject: [CONNECTOR_CONFIGURATIONS, CONNECTOR_KINDS, CLOCK],
        },
        {
          provide: UpdateConnectorHandler,
          useFactory: (c: ConnectorConfigurationRepository, k: ConnectorKindRegistry, clock: Clock) =>
            new UpdateConnectorHandler(c, k, clock),
          inject: [CONNECTOR_CONFIGURATIONS, CONNECTOR_KINDS, CLOCK],
        },
        {
          provide: DeleteConnectorHandler,
          useFactory: (c: ConnectorConfigurationRepository, lock: ScanLock) =>
            new DeleteConnectorHandler(c, lock),
          inject: [CONNECTOR_CONFIGURATIONS, SCAN_LOCK],
        },
        {
          provide: TestConnectorHandler,
          useFactory: (
            c: ConnectorConfigurationRepository,
            k: ConnectorKindRegistry,
            r: CredentialResolver,
            clock: Clock,
          ) => new TestConnectorHandler(c, k, r, clock, settings.connectionTestTimeoutMs),
          inject: [CONNECTOR_CONFIGURATIONS, CONNECTOR_KINDS, CREDENTIAL_RESOLVER, CLOCK],
        },
        {
          provide: ListConnectorsHandler,
          useFactory: (c: ConnectorConfigurationRepository) => new ListConnectorsHandler(c),
          inject: [CONNECTOR_CONFIGURATIONS],
        },
        {
          provide: GetConnectorHandler,
          useFactory: (c: ConnectorConfigurationRepository) => new GetConnectorHandler(c),
          inject: [CONNECTOR_CONFIGURATIONS],
        },
        {
          provide: ListAssetsHandler,
          useFactory: (a: AssetCatalogue) => new ListAssetsHandler(a),
          inject: [ASSET_CATALOGUE],
        },
        {
          provide: GetAssetHandler,
          useFactory: (a: AssetCatalogue) => new GetAssetHandler(a),
          inject: [ASSET_CATALOGUE],
        },
        {
          provide: ListScansHandler,
          useFactory: (h: ScanHistory) => new ListScansHandler(h),
          inject: [SCAN_HISTORY],
        },
        {
          provide: GetScanHandler,
          useFactory: (h: ScanHistory) => new GetScanHandler(h),
          inject: [SCAN_HISTORY],
        },
        {
          provide: SimulatedFleetSeeder,
          useFactory: (c: ConnectorConfigurationRepository, start: StartScanHandler, clock: Clock) =>
            new SimulatedFleetSeeder(c, start, clock, settings.seedSimulatedFleet),
          inject: [CONNECTOR_CONFIGURATIONS, StartScanHandler, CLOCK],
        },
        {
          provide: ConnectorScanScheduler,
          useFactory: (
            c: ConnectorConfigurationRepository,
            start: StartScanHandler,
            clock: Clock,
            gate: PolicyGate,
          ) => new ConnectorScanScheduler(c, start, clock, settings.scheduler, gate),
          inject: [CONNECTOR_CONFIGURATIONS, StartScanHandler, CLOCK, POLICY_GATE],
        },
        {
          provide: PruneScanHistoryHandler,
          useFactory: (u: InventoryUnitOfWork, clock: Clock) =>
            new PruneScanHistoryHandler(u, clock, settings.scanHistory),
          inject: [INVENTORY_UNIT_OF_WORK, CLOCK],
        },
        {
          provide: ScanHistoryPruner,
          useFactory: (prune: PruneScanHistoryHandler) =>
            new ScanHistoryPruner(prune, {
              enabled: settings.scheduler.enabled,
              intervalMs: settings.scanHistory.pruneIntervalMs,
            }),
          inject: [PruneScanHistoryHandler],
        },
      ],
    };
  }
}
