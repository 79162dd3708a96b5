import type { ScanTrigger } from '../../ports/scan.repository.port';

/** Scan a configured connector now, in the background. */
export class StartScanCommand {
  constructor(
    readonly connectorId: string,
    readonly trigger: ScanTrigger,
  ) {}
}
