import { SetMetadata } from '@nestjs/common';

export const HANDLER_ACTS_METADATA = Symbol('rf:policy:handler-acts');
export const HANDLER_RECORDS_METADATA = Symbol('rf:policy:handler-records');

export interface HandlerActsRule {
  /** The action the handler performs, as the gate decides it (e.g. `remediation.plan`). */
  readonly action: string;
  /** Where the gate decides it: `PolicyGate.enforce` in the handler, or the use case it calls. */
  readonly decidedBy: string;
}

/**
 * Marks a consumer handler that acts: each call performs `action` only after the policy gate
 * decided it (recorded as policy.decided, fail-closed; a refusal is not retried and goes to the DLQ
 * with its reason unless the use case records it as a business outcome). Route-coverage tests fail
 * on a handler marked neither `@Acts` nor `@OnlyRecords`.
 */
export function Acts(action: string, decidedBy: string): MethodDecorator {
  return SetMetadata<symbol, HandlerActsRule>(HANDLER_ACTS_METADATA, { action, decidedBy });
}

/** Marks a consumer handler that only records or derives state from facts, with why it needs no gate. */
export function OnlyRecords(reason: string): MethodDecorator {
  return SetMetadata<symbol, string>(HANDLER_RECORDS_METADATA, reason);
}
