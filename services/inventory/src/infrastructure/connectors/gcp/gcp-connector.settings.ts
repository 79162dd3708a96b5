import { z } from 'zod';
import { providerCallPolicySchema } from '../provider-call/provider-call.policy';

const PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const uniqueProjects = z
  .array(z.string().regex(PROJECT, 'must be a GCP project id'))
  .min(1)
  .max(200)
  .refine((projects) => new Set(projects).size === projects.length, 'projects must not repeat');

/** Non-secret settings of a GCP connector spanning one or more projects. */
export const gcpConnectorSettingsSchema = z
  .object({
    projects: uniqueProjects,
    /** Projects publishing the golden images (image families); the scanned projects by default. */
    imageProjects: uniqueProjects.optional(),
    /** Compute API root instead of compute.googleapis.com (Private Service Connect, a local recording). */
    endpoint: z
      .url({ protocol: /^https?$/ })
      .refine((value) => {
        const url = new URL(value);
        return url.protocol === 'https:' || LOOPBACK.has(url.hostname);
      }, 'must use https (plain http only to loopback)')
      .optional(),
    /** Page size of the list calls (`maxResults`, at most 500). */
    pageSize: z.number().int().min(1).max(500).default(500),
    callPolicy: providerCallPolicySchema.optional(),
  })
  .strict();

export type GcpConnectorSettings = z.output<typeof gcpConnectorSettingsSchema>;
export type GcpConnectorSettingsInput = z.input<typeof gcpConnectorSettingsSchema>;
