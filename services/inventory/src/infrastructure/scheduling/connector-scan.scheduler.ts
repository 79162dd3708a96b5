import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppError, toAppError } from '@rf/platform-errors';
import { buildAuthorizationRequest, type PolicyGate, type Principal } from '@rf/platform-policy';
import { setTimeout as sleep } from 'node:timers/promises';
import { StartScanCommand } from '../../application/commands/start-scan/start-scan.command';
import type { StartScanHandler } from '../../application/commands/start-scan/start-scan.handler';
import type { Clock } from '../../application/ports/clock.port';
import type { ConnectorConfigurationRepository } from '../../application/ports/connector-configuration.repository.port';
import { CronSchedule } from '../../domain/connector/cron-schedule.value-object';

export interface SchedulerSettings {
  readonly enabled: boolean;
  /** How often due slots are looked for; the finest schedule this honours on time. */
  readonly tickMs: number;
}

/**
 * Starts each enabled connector's scan when its cron slot comes. Every replica ticks; a slot is
 * claimed in the database by exactly one of them, and the connector's scan lock still refuses a scan
 * while the previous one runs (that slot is then skipped, not queued). After downtime, only the
 * latest missed slot runs.
 *
 * A scheduled scan acts as its connector's schedule: a `schedule` principal holding the least role
 * for `scan.run` in the connector's organisation, which whoever set the schedule (`connector.manage`)
 * handed it. Each slot is decided by the gate like any request, so it is recorded as
 * `policy.decided` in that organisation, fails closed without a bundle, and a policy that refuses
 * scans (a freeze, an exception's expiry) stops the schedule too.
 */
export class ConnectorScanScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ConnectorScanScheduler');
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly invalidSchedules = new Set<string>();

  constructor(
    private readonly connectors: ConnectorConfigurationRepository,
    private readonly startScan: StartScanHandler,
    private readonly clock: Clock,
    private readonly settings: SchedulerSettings,
    private readonly gate: PolicyGate,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.enabled) this.loop ??= this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /** One look for due slots; never throws. Returns the ids of the connectors whose scan it started. */
  async tick(): Promise<string[]> {
    const started: string[] = [];
    try {
      const now = this.clock.now();
      for (const { configuration, scheduledSlot } of await this.connectors.schedulable()) {
        if (configuration.schedule === null) continue;
        const schedule = CronSchedule.parse(configuration.schedule);
        if (!(schedule instanceof CronSchedule)) {
          this.warnInvalidOnce(configuration.id, schedule.problem);
          continue;
        }
        const slot = schedule.latestSlot(now, scheduledSlot ?? configuration.updatedAt);
        if (slot === undefined || !(await this.connectors.claimSlot(configuration.id, slot))) continue;
        if (await this.start(configuration.organisation, configuration.id, slot))
          started.push(configuration.id);
      }
    } catch (error: unknown) {
      const failure = toAppError(error);
      this.logger.warn({ code: failure.code }, `schedule round failed: ${failure.message}`);
    }
    return started;
  }

  private async start(organisation: string, connectorId: string, slot: Date): Promise<boolean> {
    try {
      await this.gate.enforce(
        buildAuthorizationRequest({
          principal: scheduleOf(organisation, connectorId),
          action: 'scan.run',
          resource: { kind: 'connector', id: connectorId, org: organisation },
          now: this.clock.now(),
        }),
      );
      // A scheduled scan runs in its connector's organisation.
      const scan = await this.startScan.execute(new StartScanCommand(organisation, connectorId, 'scheduled'));
      this.logger.log({ connectorId, scanId: scan.scanId }, `scheduled scan for ${slot.toISOString()}`);
      return true;
    } catch (error: unknown) {
      if (error instanceof AppError && error.code === 'INVENTORY.SCAN_ALREADY_RUNNING') {
        this.logger.log({ connectorId }, `slot ${slot.toISOString()} skipped: the previous scan still runs`);
      } else {
        const failure = toAppError(error);
        this.logger.warn(
          { connectorId, code: failure.code },
          `scheduled scan not started: ${failure.message}`,
        );
      }
      return false;
    }
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      await this.tick();
      await sleep(this.settings.tickMs, undefined, { signal }).catch(() => undefined);
    }
  }

  private warnInvalidOnce(connectorId: string, problem: string): void {
    if (this.invalidSchedules.has(connectorId)) return;
    this.invalidSchedules.add(connectorId);
    this.logger.warn({ connectorId }, `stored schedule is invalid and is ignored: ${problem}`);
  }
}

/** The principal a connector's schedule acts as. */
function scheduleOf(organisation: string, connectorId: string): Principal {
  return {
    kind: 'schedule',
    id: `connector-schedule:${connectorId}`,
    grants: [{ role: 'operator', org: organisation }],
  };
}
