import type { ErrorObject } from 'ajv';

/** Shape of a validator emitted by ajv's standalone code generation. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: readonly ErrorObject[] | null;
}
