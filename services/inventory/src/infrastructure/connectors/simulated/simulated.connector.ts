import type {
  Connector,
  ConnectorScanRequest,
  RawAssetPage,
} from '../../../application/ports/connector.port';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';
import { SimulatedFleet, type SimulatedFleetOptions } from './simulated-fleet.generator';

export interface SimulatedConnectorOptions {
  readonly id: string;
  readonly fleet: SimulatedFleetOptions;
  readonly pageSize?: number;
  /**
   * Which fleet epoch a scan lists. By default the n-th scan of the connector lists epoch n-1, so
   * every scan sees the churn since the previous one; a fixed epoch replays the same fleet.
   */
  readonly epoch?: number | ((sequence: number) => number);
}

const DEFAULT_PAGE_SIZE = 1_000;

/** The demo and benchmark connector: a seeded simulated fleet, listed page by page like a provider API. */
export class SimulatedConnector implements Connector {
  readonly kind = 'simulated';
  readonly id: string;
  private readonly fleet: SimulatedFleet;

  constructor(private readonly options: SimulatedConnectorOptions) {
    this.id = options.id;
    this.fleet = new SimulatedFleet(options.fleet);
  }

  epochOf(sequence: number): number {
    const { epoch } = this.options;
    if (typeof epoch === 'number') return epoch;
    return epoch ? epoch(sequence) : sequence - 1;
  }

  async *pages(request: ConnectorScanRequest): AsyncGenerator<RawAssetPage> {
    const pageSize = this.options.pageSize ?? DEFAULT_PAGE_SIZE;
    let page: RawAssetRecord[] = [];
    for (const record of this.fleet.records(this.epochOf(request.sequence))) {
      page.push(record);
      if (page.length < pageSize) continue;
      request.signal.throwIfAborted();
      yield { records: page };
      page = [];
      // A provider listing is I/O-bound; let other work (and cancellation) in between pages.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    request.signal.throwIfAborted();
    if (page.length > 0) yield { records: page };
  }
}
