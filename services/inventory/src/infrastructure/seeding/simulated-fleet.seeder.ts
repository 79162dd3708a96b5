import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { toAppError } from '@rf/platform-errors';
import { StartScanCommand } from '../../application/commands/start-scan/start-scan.command';
import type { StartScanHandler } from '../../application/commands/start-scan/start-scan.handler';
import type { Clock } from '../../application/ports/clock.port';
import type { ConnectorConfigurationRepository } from '../../application/ports/connector-configuration.repository.port';

/** Fixed, so every replica and every restart seeds the same connector at most once. */
export const SEEDED_SIMULATED_CONNECTOR_ID = '5eed0000-51a1-4c7e-9d00-000000000001';

export interface SimulatedFleetSeed {
  readonly enabled: boolean;
  /** The organisation the seeded connector, its scans and its fleet belong to. */
  readonly organisation: string;
  readonly size: number;
  readonly schedule: string;
}

/**
 * When no connector is configured at all, configures a simulated one and scans it at once, so a
 * development stack has a fleet from its first start. Once any connector exists it does nothing.
 */
export class SimulatedFleetSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('SimulatedFleetSeeder');

  constructor(
    private readonly connectors: ConnectorConfigurationRepository,
    private readonly startScan: StartScanHandler,
    private readonly clock: Clock,
    private readonly seed: SimulatedFleetSeed,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.seed.enabled) return;
    const now = this.clock.now();
    const inserted = await this.connectors.insertIfNoneConfigured({
      id: SEEDED_SIMULATED_CONNECTOR_ID,
      organisation: this.seed.organisation,
      kind: 'simulated',
      name: 'simulated-fleet',
      settings: { seed: 'resilience-fabric', size: this.seed.size },
      credentials: {},
      schedule: this.seed.schedule,
      enabled: true,
      createdAt: now,
      updatedAt: now,
    });
    if (!inserted) return;
    this.logger.log(`seeded a simulated connector of ${this.seed.size} assets (${this.seed.schedule})`);
    try {
      await this.startScan.execute(
        new StartScanCommand(this.seed.organisation, SEEDED_SIMULATED_CONNECTOR_ID, 'scheduled'),
      );
    } catch (error: unknown) {
      const failure = toAppError(error);
      this.logger.warn(
        { code: failure.code },
        `first scan of the seeded fleet not started: ${failure.message}`,
      );
    }
  }
}
