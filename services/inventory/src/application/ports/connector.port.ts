import type { Platform } from '../../domain/asset/platform';
import type { RawAssetRecord } from '../../domain/normalisation/raw-asset-record';
import type { ScanProblem } from '../../domain/scan/scan-problem';

export interface ConnectorScanRequest {
  readonly scanId: string;
  /** 1-based number of this scan among the connector's scans. */
  readonly sequence: number;
  /** Aborted when the scan is cancelled; connectors pass it to every provider call. */
  readonly signal: AbortSignal;
}

/** One page of a provider listing, and the parts of the listing that failed (an account, a region). */
export interface RawAssetPage {
  readonly records: readonly RawAssetRecord[];
  /** Failures that leave the scan incomplete; any of them makes the scan partial. */
  readonly problems?: readonly ScanProblem[];
}

/** One target of a connection test (a region, a vCenter, a subscription): reachable, or why not. */
export interface ConnectionTargetCheck {
  readonly target: string;
  readonly ok: boolean;
  readonly detail: string;
  /** Namespaced error code when the check failed. */
  readonly code?: string;
}

/** What a connection test found: reachable and authorised, or why not (never a secret). */
export interface ConnectionCheck {
  readonly ok: boolean;
  /** One line for the operator, e.g. `authenticated as account 123456789012; 3 region(s) reachable`. */
  readonly detail: string;
  /** Per-target findings, for connectors that reach several regions, vCenters or subscriptions. */
  readonly checks?: readonly ConnectionTargetCheck[];
}

/**
 * A read-only, agentless source of assets. A connector streams its listing page by page; it throws
 * only when the scan as a whole cannot go on (credentials refused, file invalid, cancelled).
 */
export interface Connector {
  /** Connector instance id, the `connectorId` of its events; one scan per id at a time. */
  readonly id: string;
  /** The `platform` of its `scan.completed` events. */
  readonly kind: Platform;
  pages(request: ConnectorScanRequest): AsyncIterable<RawAssetPage>;
  /**
   * A cheap check that the provider answers and accepts the credentials (one authenticated call).
   * Without it, a test lists the first page.
   */
  testConnection?(signal: AbortSignal): Promise<ConnectionCheck>;
}
