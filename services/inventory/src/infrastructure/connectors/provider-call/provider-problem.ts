import type { ConnectionTargetCheck } from '../../../application/ports/connector.port';
import { InventoryError } from '../../../domain/inventory.error';
import type { ScanProblem } from '../../../domain/scan/scan-problem';

export interface ProblemScope {
  readonly account?: string;
  readonly region?: string;
}

/**
 * A failure confined to one part of a listing (a region, a vCenter, a subscription), as the scan
 * records it: the scan goes on with the other parts and ends partial.
 */
export function scopedProblem(error: unknown, scope: ProblemScope): ScanProblem {
  const base =
    error instanceof InventoryError
      ? { code: error.code, message: error.message, retriable: error.retriable }
      : {
          code: 'INVENTORY.CONNECTOR_REQUEST_FAILED',
          message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          retriable: true,
        };
  return {
    ...base,
    ...(scope.account === undefined ? {} : { account: scope.account }),
    ...(scope.region === undefined ? {} : { region: scope.region }),
  };
}

export function failedCheck(target: string, error: unknown): ConnectionTargetCheck {
  const problem = scopedProblem(error, {});
  return { target, ok: false, detail: problem.message, code: problem.code };
}
