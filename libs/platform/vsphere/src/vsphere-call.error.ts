/** A vCenter answer that is not a result: an HTTP error status or a SOAP / vAPI fault. */
export class VsphereCallError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    /** SOAP fault type (`InvalidLogin`, `NotAuthenticated`) or vAPI error type, when given. */
    readonly faultType: string | undefined,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(`${operation}: HTTP ${status}${faultType === undefined ? '' : ` ${faultType}`}: ${message}`);
    this.name = 'VsphereCallError';
  }
}
