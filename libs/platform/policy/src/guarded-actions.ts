import type { DecisionRecorder } from './decision-recorder.port';
import type { PolicyRequest } from './policy-decision.types';
import type { PolicyGate } from './policy-gate';
import { PolicyError } from './policy.error';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any argument list: the guards keep each function's own
type AnyAsync = (...args: any[]) => Promise<unknown>;

/**
 * Builds the policy request for one call from the call's own arguments (pure, unit-tested); it may
 * look up what the arguments only name, e.g. the organisation of a plan.
 */
export type ActionGuard<F extends AnyAsync> = (
  ...args: Parameters<F>
) => PolicyRequest | Promise<PolicyRequest>;

export interface GuardActionsOptions<T extends Record<string, AnyAsync>> {
  readonly gate: PolicyGate;
  /** Where each decision is recorded; the gate's own recorder when absent. */
  readonly recorder?: DecisionRecorder;
  /** The functions that act, each with the request its call is decided by. */
  readonly guards: { readonly [K in keyof T]?: ActionGuard<T[K]> };
  /** The functions that only record, read or decide, each with why it needs no guard. */
  readonly bookkeeping: { readonly [K in keyof T]?: string };
  /** Turns a refusal into the transport's permanent failure, e.g. a non-retryable ApplicationFailure. */
  readonly refuse?: (error: PolicyError) => Error;
}

const GUARDED = Symbol('rf.policy.guarded-action');

/** How a function of a guarded set is covered: the action it is decided as, or why it needs none. */
export type ActionCoverage = { readonly guarded: string } | { readonly bookkeeping: string };

/**
 * Wraps every function of `actions` (Temporal activities, handlers) that acts so that each call is
 * first decided by the gate (`PolicyGate.enforce`: recorded as `policy.decided`, fail-closed) and
 * refused, not run, unless permitted. Every function must be either guarded or named as
 * bookkeeping with a reason: a new function that is neither fails here, at construction, so a
 * worker cannot start with an unguarded action.
 */
export function guardActions<T extends Record<string, AnyAsync>>(
  actions: T,
  options: GuardActionsOptions<T>,
): T {
  const names = Object.keys(actions);
  const unknown = [...Object.keys(options.guards), ...Object.keys(options.bookkeeping)].filter(
    (name) => !names.includes(name),
  );
  const neither = names.filter((n) => !options.guards[n] && options.bookkeeping[n] === undefined);
  const both = names.filter((n) => options.guards[n] && options.bookkeeping[n] !== undefined);
  if (neither.length + both.length + unknown.length > 0) {
    throw new PolicyError(
      'POLICY.REQUEST_INVALID',
      [
        neither.length ? `neither guarded nor bookkeeping: ${neither.join(', ')}` : '',
        both.length ? `both guarded and bookkeeping: ${both.join(', ')}` : '',
        unknown.length ? `no such function: ${unknown.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  }
  const wrapped: Record<string, AnyAsync> = {};
  for (const name of names) {
    const action = actions[name] as AnyAsync;
    const guard = options.guards[name] as ActionGuard<AnyAsync> | undefined;
    if (!guard) {
      wrapped[name] = mark(action, { bookkeeping: options.bookkeeping[name] ?? '' });
      continue;
    }
    const run: AnyAsync = async (...args: unknown[]) => {
      const request = await guard(...args);
      try {
        await options.gate.enforce(request, options.recorder);
      } catch (error: unknown) {
        if (error instanceof PolicyError && !error.retriable && options.refuse) throw options.refuse(error);
        throw error;
      }
      return action(...args);
    };
    wrapped[name] = mark(run, { guarded: guardAction(guard) });
  }
  return wrapped as T;
}

/** How `fn`, taken from a set built by `guardActions`, is covered; undefined for anything else. */
export function actionCoverage(fn: unknown): ActionCoverage | undefined {
  return typeof fn === 'function' ? (fn as { [GUARDED]?: ActionCoverage })[GUARDED] : undefined;
}

function mark(fn: AnyAsync, coverage: ActionCoverage): AnyAsync {
  Object.defineProperty(fn, GUARDED, { value: coverage });
  return fn;
}

/** The action a guard decides, read from its `action` label when it has one. */
function guardAction(guard: ActionGuard<AnyAsync>): string {
  return (guard as { action?: string }).action ?? 'guarded';
}

/** Labels a guard with the action it decides, for coverage reports and tests. */
export function actionGuard<F extends AnyAsync>(action: string, build: ActionGuard<F>): ActionGuard<F> {
  return Object.assign(build, { action });
}
