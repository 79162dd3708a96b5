import { z } from 'zod';
import type { ConnectionTestResult } from '../application/commands/test-connector/test-connector.handler';
import type { Page } from '../application/pagination/page-cursor';
import { SCAN_STATUSES, type ScanRecord } from '../application/ports/scan.repository.port';
import { ASSET_STATES } from '../domain/asset/asset-state';
import type { TrackedAsset } from '../domain/asset/asset.entity';
import { PLATFORMS } from '../domain/asset/platform';
import type { ConnectorConfiguration } from '../domain/connector/connector-configuration.entity';
import type { AssetEdge } from '../domain/graph/asset-graph';

// The response bodies, as schemas: the OpenAPI document is generated from them and the views below
// are typed by them, so the two cannot disagree.
export const RESPONSE_SCHEMAS = z.registry<{ id: string }>();

const timestamp = z.string().meta({ format: 'date-time' });
const uuid = z.string().meta({ format: 'uuid' });

export const AssetView = z
  .object({
    id: uuid,
    organisation: z
      .string()
      .meta({ description: "the organisation it belongs to (its connector's; the caller's)" }),
    connectorId: uuid,
    platform: z.enum(PLATFORMS),
    account: z.string(),
    region: z.string(),
    instanceId: z.string(),
    site: z.string().nullable(),
    environment: z.string().nullable(),
    project: z.string().nullable(),
    imageRef: z.string().nullable(),
    imageFamily: z.string().nullable(),
    imageVersion: z.string().nullable(),
    state: z.enum(ASSET_STATES),
    tags: z.record(z.string(), z.string()),
    discoveredAt: timestamp,
    lastSeenAt: timestamp,
    missedScans: z.number().int(),
    removedAt: timestamp.nullable(),
    removalReason: z.enum(['missed_scans', 'terminated', 'deleted']).nullable(),
  })
  .register(RESPONSE_SCHEMAS, { id: 'Asset' });

export const AssetDetailView = AssetView.extend({
  edges: z.array(z.object({ kind: z.enum(['image', 'site', 'account']), target: z.string() })),
}).register(RESPONSE_SCHEMAS, { id: 'AssetDetail' });

export const AssetPageView = z
  .object({ items: z.array(AssetView), nextCursor: z.string().nullable() })
  .register(RESPONSE_SCHEMAS, { id: 'AssetPage' });

export const ConnectorView = z
  .object({
    id: uuid,
    organisation: z.string().meta({ description: 'the organisation of the principal that created it' }),
    kind: z.string(),
    name: z.string(),
    settings: z.record(z.string(), z.unknown()),
    credentials: z
      .record(z.string(), z.string())
      .meta({ description: 'References only; the secrets stay where they are' }),
    schedule: z.string().nullable(),
    enabled: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .register(RESPONSE_SCHEMAS, { id: 'Connector' });

export const ConnectorPageView = z
  .object({ items: z.array(ConnectorView), nextCursor: z.string().nullable() })
  .register(RESPONSE_SCHEMAS, { id: 'ConnectorPage' });

export const ConnectionTestView = z
  .object({
    connectorId: uuid,
    ok: z.boolean(),
    detail: z.string(),
    /** Per target (region, vCenter, subscription, project), for connectors that reach several. */
    checks: z.array(
      z.object({
        target: z.string(),
        ok: z.boolean(),
        detail: z.string(),
        code: z.string().optional(),
      }),
    ),
    testedAt: timestamp,
    durationMs: z.number().int(),
  })
  .register(RESPONSE_SCHEMAS, { id: 'ConnectionTest' });

const count = z.number().int().min(0);

export const ScanView = z
  .object({
    id: uuid,
    organisation: z.string().meta({ description: "its connector's organisation" }),
    connectorId: uuid,
    connectorKind: z.string(),
    sequence: z.number().int().min(1),
    trigger: z.enum(['scheduled', 'on_demand']),
    status: z.enum(SCAN_STATUSES),
    startedAt: timestamp,
    finishedAt: timestamp.nullable(),
    durationMs: z.number().int().nullable(),
    counts: z.object({
      discovered: count,
      updated: count,
      removed: count,
      unchanged: count,
      duplicates: count,
      rejected: count,
      ignored: count,
    }),
    problems: z.array(
      z.object({
        code: z.string(),
        message: z.string(),
        account: z.string().optional(),
        region: z.string().optional(),
        retriable: z.boolean(),
      }),
    ),
  })
  .register(RESPONSE_SCHEMAS, { id: 'Scan' });

export const ScanPageView = z
  .object({ items: z.array(ScanView), nextCursor: z.string().nullable() })
  .register(RESPONSE_SCHEMAS, { id: 'ScanPage' });

export type AssetView = z.infer<typeof AssetView>;
export type AssetDetailView = z.infer<typeof AssetDetailView>;
export type AssetPageView = z.infer<typeof AssetPageView>;
export type ConnectorView = z.infer<typeof ConnectorView>;
export type ConnectorPageView = z.infer<typeof ConnectorPageView>;
export type ConnectionTestView = z.infer<typeof ConnectionTestView>;
export type ScanView = z.infer<typeof ScanView>;
export type ScanPageView = z.infer<typeof ScanPageView>;

const iso = (date: Date) => date.toISOString();

export function assetView(a: TrackedAsset): AssetView {
  return {
    id: a.assetId,
    organisation: a.organisation,
    connectorId: a.connectorId,
    platform: a.platform,
    account: a.account,
    region: a.region,
    instanceId: a.instanceId,
    site: a.site,
    environment: a.environment,
    project: a.project,
    imageRef: a.imageRef,
    imageFamily: a.imageFamily,
    imageVersion: a.imageVersion,
    state: a.state,
    tags: { ...a.tags },
    discoveredAt: iso(a.discoveredAt),
    lastSeenAt: iso(a.lastSeenAt),
    missedScans: a.missedScans,
    removedAt: a.removedAt === null ? null : iso(a.removedAt),
    removalReason: a.removalReason,
  };
}

export function assetDetailView(found: {
  asset: TrackedAsset;
  edges: readonly AssetEdge[];
}): AssetDetailView {
  return { ...assetView(found.asset), edges: found.edges.map((e) => ({ kind: e.kind, target: e.target })) };
}

export function pageView<T, V>(
  page: Page<T>,
  view: (item: T) => V,
): { items: V[]; nextCursor: string | null } {
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}

export function connectorView(c: ConnectorConfiguration): ConnectorView {
  return {
    id: c.id,
    organisation: c.organisation,
    kind: c.kind,
    name: c.name,
    settings: { ...c.settings },
    credentials: { ...c.credentials },
    schedule: c.schedule,
    enabled: c.enabled,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

export function connectionTestView(r: ConnectionTestResult): ConnectionTestView {
  return {
    connectorId: r.connectorId,
    ok: r.ok,
    detail: r.detail,
    checks: (r.checks ?? []).map((c) => ({
      target: c.target,
      ok: c.ok,
      detail: c.detail,
      ...(c.code === undefined ? {} : { code: c.code }),
    })),
    testedAt: iso(r.testedAt),
    durationMs: r.durationMs,
  };
}

export function scanView(s: ScanRecord): ScanView {
  return {
    id: s.scanId,
    organisation: s.organisation,
    connectorId: s.connectorId,
    connectorKind: s.connectorKind,
    sequence: s.sequence,
    trigger: s.trigger,
    status: s.status,
    startedAt: iso(s.startedAt),
    finishedAt: s.finishedAt === null ? null : iso(s.finishedAt),
    durationMs: s.finishedAt === null ? null : s.finishedAt.getTime() - s.startedAt.getTime(),
    counts: { ...s.counts },
    problems: s.problems.map((p) => ({ ...p })),
  };
}
