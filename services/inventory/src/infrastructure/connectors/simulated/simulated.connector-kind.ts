import { z } from 'zod';
import { defineConnectorKind } from '../../../application/connectors/connector-kind.definition';
import { SimulatedConnector } from './simulated.connector';

const churnRate = z.number().min(0).max(1);

export const SimulatedConnectorSettings = z.strictObject({
  /** Same seed, same fleet: demos and benchmarks are reproducible. */
  seed: z.union([z.string().min(1).max(200), z.number().int()]),
  size: z.number().int().min(1).max(5_000_000),
  pageSize: z.number().int().min(1).max(10_000).optional(),
  churn: z
    .strictObject({
      arrivals: churnRate,
      departures: churnRate,
      terminatedReports: churnRate,
      upgrades: churnRate,
      powerFlips: churnRate,
      retags: churnRate,
    })
    .partial()
    .optional(),
});

/** A seeded, deterministic fleet across the four platforms, with churn between scans. No credentials. */
export const SIMULATED_CONNECTOR_KIND = defineConnectorKind({
  kind: 'simulated',
  description: 'A seeded, deterministic simulated fleet across AWS, Azure, GCP and vSphere',
  settings: SimulatedConnectorSettings,
  requiredCredentials: [],
  optionalCredentials: [],
  create: ({ id, settings }) =>
    new SimulatedConnector({
      id,
      fleet: {
        seed: settings.seed,
        size: settings.size,
        ...(settings.churn === undefined ? {} : { churn: settings.churn }),
      },
      ...(settings.pageSize === undefined ? {} : { pageSize: settings.pageSize }),
    }),
});
