/** What a connection test found, safe to show to an operator: never a credential. */
export interface ConnectionTestResult {
  readonly ok: boolean;
  /** One line for the operator, e.g. `authenticated as account 123456789012; 3 regions reachable`. */
  readonly message: string;
  /** Per-target findings (region, vCenter, subscription): `ok` or the failure. */
  readonly checks: readonly ConnectionCheck[];
}

export interface ConnectionCheck {
  readonly target: string;
  readonly ok: boolean;
  readonly detail: string;
  /** Namespaced error code when the check failed. */
  readonly code?: string;
}

/**
 * A connector that can verify its settings and credentials with one cheap read-only call per target,
 * without listing anything; the API's test-connection endpoint runs it.
 */
export interface ConnectionTestable {
  testConnection(signal: AbortSignal): Promise<ConnectionTestResult>;
}
