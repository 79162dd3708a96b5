import type { NormalisationOptions } from '../../../domain/normalisation/asset.normaliser';
import type { Connector } from '../../ports/connector.port';
import type { ScanTrigger } from '../../ports/scan.repository.port';

export interface RunScanOptions {
  /** Cancels the scan: the connector stops listing and the scan is recorded as failed. */
  readonly signal?: AbortSignal;
  readonly normalisation?: NormalisationOptions;
  /** Recorded in the scan history; on demand unless the scheduler started it. */
  readonly trigger?: ScanTrigger;
}

/** Scan one connector now: list, normalise, reconcile, store and announce the changes. */
export class RunScanCommand {
  constructor(
    readonly connector: Connector,
    /** The connector's organisation: its scan, assets and events are in it. */
    readonly organisation: string,
    readonly options: RunScanOptions = {},
  ) {}
}
