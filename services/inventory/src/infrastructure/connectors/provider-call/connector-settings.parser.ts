import type { z } from 'zod';
import { InventoryError } from '../../../domain/inventory.error';
import { providerCallPolicy, type ProviderCallPolicyInput } from './provider-call.policy';
import {
  ProviderCallRunner,
  type ProviderCallRunnerOptions,
  type ProviderFailureClassifier,
} from './provider-call.runner';

/** Settings of any cloud or vCenter connector: each carries the shared call policy. */
type ConnectorSettingsSchema = z.ZodType<{ readonly callPolicy?: ProviderCallPolicyInput }>;

/** What every connector is created with: its id, its raw settings and optional call tuning. */
export interface ConnectorOptionsBase {
  readonly id: string;
  readonly settings: unknown;
  readonly calls?: ProviderCallRunnerOptions;
}

export interface ConnectorSettingsSetup<S extends ConnectorSettingsSchema> {
  readonly settings: z.output<S>;
  /** Runs every provider call under the settings' call policy, read through the provider's classifier. */
  readonly calls: ProviderCallRunner;
}

/**
 * Validates a connector's settings against its schema, so a misconfigured connector is refused
 * when it is created (INVENTORY.INVALID_CONFIGURATION listing every issue) rather than mid-scan.
 */
export function parseConnectorSettings<S extends ConnectorSettingsSchema>(
  label: string,
  schema: S,
  classify: ProviderFailureClassifier,
  options: ConnectorOptionsBase,
): ConnectorSettingsSetup<S> {
  const parsed = schema.safeParse(options.settings);
  if (!parsed.success) {
    throw new InventoryError(
      'INVENTORY.INVALID_CONFIGURATION',
      `${label} connector ${options.id}: invalid settings`,
      {
        metadata: {
          issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        },
      },
    );
  }
  const settings = parsed.data;
  return {
    settings,
    calls: new ProviderCallRunner(providerCallPolicy(settings.callPolicy), classify, options.calls),
  };
}
