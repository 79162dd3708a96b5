/** Held while a scan runs; releasing it lets the next scan of the connector start. */
export interface ScanLease {
  release(): Promise<void>;
}

/** Mutual exclusion of scans per connector, across processes. */
export interface ScanLock {
  /** The lease, or undefined at once when another scan of the connector holds it. Never waits. */
  tryAcquire(connectorId: string): Promise<ScanLease | undefined>;
}
