import type { ErrorObject } from 'ajv';
import type { EventDataByType, EventType } from './generated/event-data.types';
import { EVENT_DATA_VALIDATORS } from './generated/event-validators';

export type EventDataValidation<T extends EventType = EventType> =
  | { readonly ok: true; readonly data: EventDataByType[T] }
  | { readonly ok: false; readonly errors: readonly string[] };

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(EVENT_DATA_VALIDATORS, value);
}

/**
 * Validates event data against the precompiled validator of its type. Errors read
 * `<json pointer>: <problem>`, pointing at the offending field itself (also for missing and
 * unknown properties), so they can go straight into a DLQ reason.
 */
export function validateEventData<T extends EventType>(type: T, data: unknown): EventDataValidation<T> {
  // Callers may pass an unchecked `ce_type` header: answer instead of throwing.
  if (!isEventType(type)) return { ok: false, errors: [`(type): unknown event type '${String(type)}'`] };
  const validate = EVENT_DATA_VALIDATORS[type];
  if (validate(data)) return { ok: true, data: data as EventDataByType[T] };
  // An `if` failure only restates the `then` error that follows it.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  return { ok: false, errors: errors.map(formatValidationError) };
}

export function formatValidationError(error: ErrorObject): string {
  const params: Readonly<Record<string, unknown>> = error.params;
  switch (error.keyword) {
    case 'required':
      return `${pointer(error.instancePath, params['missingProperty'])}: is required`;
    case 'additionalProperties':
      return `${pointer(error.instancePath, params['additionalProperty'])}: is not allowed (unknown property)`;
    case 'enum':
      return `${pointer(error.instancePath)}: must be one of ${listOf(params['allowedValues'])}`;
    case 'const':
      return `${pointer(error.instancePath)}: must be ${JSON.stringify(params['allowedValue'])}`;
    default:
      return `${pointer(error.instancePath)}: ${error.message ?? error.keyword}`;
  }
}

function pointer(instancePath: string, property?: unknown): string {
  const path =
    typeof property === 'string'
      ? `${instancePath}/${property.replaceAll('~', '~0').replaceAll('/', '~1')}`
      : instancePath;
  return path === '' ? '(root)' : path;
}

function listOf(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(', ') : String(values);
}
