import type { NormalisationOptions } from '../../../domain/normalisation/asset.normaliser';
import type { Connector } from '../../ports/connector.port';

export interface RunScanOptions {
  /** Cancels the scan: the connector stops listing and the scan is recorded as failed. */
  readonly signal?: AbortSignal;
  readonly normalisation?: NormalisationOptions;
}

/** Scan one connector now: list, normalise, reconcile, store and announce the changes. */
export class RunScanCommand {
  constructor(
    readonly connector: Connector,
    readonly options: RunScanOptions = {},
  ) {}
}
