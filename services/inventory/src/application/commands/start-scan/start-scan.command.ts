import type { ScanTrigger } from '../../ports/scan.repository.port';

/** Scan a configured connector of the organisation now, in the background. */
export class StartScanCommand {
  constructor(
    readonly organisation: string,
    readonly connectorId: string,
    readonly trigger: ScanTrigger,
  ) {}
}
