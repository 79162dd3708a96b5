import { z } from 'zod';
import { providerCallPolicySchema } from '../provider-call/provider-call.policy';

const vcenterSchema = z
  .object({
    /** Stable name of the vCenter, the `account` of its assets, e.g. `vc-dublin-01`. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, dot, dash, underscore'),
    /** Base URL, e.g. `https://vc01.example.com`; SOAP is reached at `/sdk`, REST at `/rest`. */
    url: z.url({ protocol: /^https?$/ }),
    /** Service account that logs in (not a secret). */
    username: z.string().min(1).max(256),
    /**
     * Name of the connector credential holding the account's password; vCenters with different
     * accounts name different credentials.
     */
    passwordCredential: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a credential name such as password or vcEastPassword')
      .default('password'),
    /** Datacenters to list; all when absent. */
    datacenters: z.array(z.string().min(1).max(256)).min(1).optional(),
  })
  .strict();

/** Non-secret settings of a vSphere connector spanning one or more vCenters. */
export const vsphereConnectorSettingsSchema = z
  .object({
    vcenters: z
      .array(vcenterSchema)
      .min(1)
      .max(50)
      .refine(
        (vcs) => new Set(vcs.map((vc) => vc.name)).size === vcs.length,
        'vCenter names must not repeat',
      ),
    /** Objects per property-collector page (RetrievePropertiesEx maxObjects). */
    pageSize: z.number().int().min(1).max(10_000).default(500),
    /**
     * VM advanced settings (extraConfig) naming the Content Library template a VM was deployed from:
     * an item id, `library/item` or a unique item name.
     */
    templateRefKeys: z
      .array(z.string().min(1).max(128))
      .min(1)
      .max(10)
      .default(['rf.template', 'guestinfo.rf.template']),
    /** Resolve template references against the Content Library (REST); off for vCenters without it. */
    contentLibrary: z.boolean().default(true),
    /** Read the vSphere tags (REST tagging API) of each VM into its asset tags, category → tag. */
    tags: z.boolean().default(true),
    callPolicy: providerCallPolicySchema.optional(),
  })
  .strict();

export type VsphereConnectorSettings = z.output<typeof vsphereConnectorSettingsSchema>;
export type VsphereConnectorSettingsInput = z.input<typeof vsphereConnectorSettingsSchema>;
export type VcenterSettings = VsphereConnectorSettings['vcenters'][number];

/** A vCenter service account, resolved at call time and never stored or logged by the connector. */
export interface VsphereCredentials {
  readonly username: string;
  readonly password: string;
}

export type VsphereCredentialsResolver = (
  vcenter: VcenterSettings,
  signal: AbortSignal,
) => Promise<VsphereCredentials>;
