import { z } from 'zod';
import { providerCallPolicySchema } from '../provider-call/provider-call.policy';

const authSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('servicePrincipal'),
      tenantId: z.string().regex(/^[0-9a-fA-F-]{36}$|^[a-z0-9.-]+\.[a-z]+$/, 'tenant id or domain'),
      /** Its client secret is the connector credential `clientSecret`. */
      clientId: z.uuid(),
    })
    .strict(),
  z.object({ type: z.literal('managedIdentity'), clientId: z.uuid().optional() }).strict(),
  z.object({ type: z.literal('default') }).strict(),
]);

/** Non-secret settings of an Azure connector spanning one or more subscriptions. */
export const azureConnectorSettingsSchema = z
  .object({
    subscriptions: z
      .array(z.uuid())
      .min(1)
      .max(200)
      .refine((subs) => new Set(subs).size === subs.length, 'subscriptions must not repeat'),
    auth: authSchema.default({ type: 'default' }),
    /** Azure Resource Manager endpoint; the public cloud's by default (sovereign clouds differ). */
    endpoint: z.url({ protocol: /^https$/ }).optional(),
    /** PEM of a CA to trust for the endpoint (Azure Stack Hub, a TLS-inspecting proxy). */
    caCertificate: z
      .string()
      .regex(/-----BEGIN CERTIFICATE-----/, 'must be a PEM certificate')
      .max(65_536)
      .optional(),
    /** Microsoft Entra authority for service principals in sovereign clouds. */
    authorityHost: z.url({ protocol: /^https$/ }).optional(),
    /** List Shared Image Gallery versions, whose tags can carry the golden-image version. */
    galleries: z.boolean().default(true),
    callPolicy: providerCallPolicySchema.optional(),
  })
  .strict();

export type AzureConnectorSettings = z.output<typeof azureConnectorSettingsSchema>;
export type AzureConnectorSettingsInput = z.input<typeof azureConnectorSettingsSchema>;
export type AzureAuthSettings = AzureConnectorSettings['auth'];
