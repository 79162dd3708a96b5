import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { ScanSupervisor } from '../../application/scanning/scan.supervisor';

/** On shutdown, running scans are cancelled and each records its end before the database closes. */
export class ScanSupervisorLifecycle implements BeforeApplicationShutdown {
  constructor(private readonly supervisor: ScanSupervisor) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.supervisor.shutdown();
  }
}
