import type { Platform } from '../../domain/asset/platform';
import type { InventoryError } from '../../domain/inventory.error';
import { ConnectorFailure } from '../../domain/scan/connector-failure.error';
import type { Connector, RawAssetPage } from '../ports/connector.port';

/**
 * Stands in for a scheduled connector that could not be built (a credential reference that does not
 * resolve, settings that no longer validate): its scan fails at once, and the scan history records why.
 */
export class UnbuildableConnector implements Connector {
  constructor(
    readonly id: string,
    readonly kind: Platform,
    private readonly failure: InventoryError,
  ) {}

  pages(): AsyncIterable<RawAssetPage> {
    const { code, message, retriable } = this.failure;
    const failure = new ConnectorFailure(code, message, [{ code, message, retriable }], {
      retriable,
      cause: this.failure,
    });
    return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(failure) }) };
  }
}
