import type { ServiceName } from '@rf/platform-config';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One public endpoint the gateway forwards, and the action the caller needs for it. */
export interface GatewayEndpoint {
  readonly method: HttpMethod;
  /** Below the route's prefix: `''` (the collection), `'*path'` (anything below), or a pattern with `:params`. */
  readonly path: string;
  readonly action: string;
  readonly summary: string;
  /**
   * Services the upstream calls on the caller's behalf for this endpoint: the gateway signs the
   * principal for each too, in `x-rf-principal-for-<service>`, so they authorise the caller.
   */
  readonly delegatesTo?: readonly ServiceName[];
}

/**
 * `/api/v1/<prefix>/…` goes to `upstream`. Endpoints are tried in order, so specific paths come
 * before `*path`. The gateway decides the coarse action per endpoint; each service still enforces
 * its own `@Authorize` on the principal the gateway forwards.
 */
export interface GatewayRoute {
  readonly prefix: string;
  readonly upstream: ServiceName;
  /** The policy resource kind of what lives under the prefix. */
  readonly kind: string;
  readonly endpoints: readonly GatewayEndpoint[];
}

const reads = (action: string, what: string): GatewayEndpoint[] => [
  { method: 'GET', path: '', action, summary: `List ${what}` },
  { method: 'GET', path: '*path', action, summary: `Read ${what}` },
];

export const DEFAULT_GATEWAY_ROUTES: readonly GatewayRoute[] = [
  { prefix: 'assets', upstream: 'inventory', kind: 'asset', endpoints: reads('asset.read', 'assets') },
  {
    prefix: 'connectors',
    upstream: 'inventory',
    kind: 'connector',
    endpoints: [
      ...reads('asset.read', 'connectors'),
      { method: 'POST', path: '', action: 'connector.manage', summary: 'Register a connector' },
      { method: 'POST', path: '*path/scans', action: 'scan.run', summary: 'Scan with a connector now' },
      {
        method: 'POST',
        path: '*path/test',
        action: 'connector.manage',
        summary: "Test a connector's connection",
      },
      { method: 'PUT', path: '*path', action: 'connector.manage', summary: 'Replace a connector' },
      { method: 'PATCH', path: '*path', action: 'connector.manage', summary: 'Change a connector' },
      { method: 'DELETE', path: '*path', action: 'connector.manage', summary: 'Remove a connector' },
    ],
  },
  {
    prefix: 'scans',
    upstream: 'inventory',
    kind: 'scan',
    endpoints: [
      ...reads('asset.read', 'scans'),
      { method: 'POST', path: '', action: 'scan.run', summary: 'Start a scan' },
    ],
  },
  { prefix: 'drift', upstream: 'drift', kind: 'drift', endpoints: reads('drift.read', 'drift reports') },
  {
    prefix: 'images',
    upstream: 'drift',
    kind: 'image',
    endpoints: [
      ...reads('image.read', 'image families and versions'),
      { method: 'POST', path: '*path/promote', action: 'image.promote', summary: 'Promote an image version' },
      { method: 'POST', path: '*path/revoke', action: 'image.revoke', summary: 'Revoke an image version' },
      {
        method: 'POST',
        path: '*path/rollback',
        action: 'image.promote',
        summary: 'Roll a channel back to an image version',
      },
      { method: 'POST', path: '*path', action: 'image.publish', summary: 'Publish an image version' },
      { method: 'POST', path: '', action: 'image.publish', summary: 'Publish an image family' },
    ],
  },
  {
    prefix: 'compliance',
    upstream: 'compliance',
    kind: 'compliance',
    endpoints: [
      ...reads('compliance.read', 'compliance scores and evidence'),
      { method: 'POST', path: '*path', action: 'compliance.score', summary: 'Score compliance' },
    ],
  },
  {
    prefix: 'remediation',
    upstream: 'remediation',
    kind: 'remediation',
    endpoints: [
      ...reads('remediation.read', 'remediation plans'),
      { method: 'POST', path: '*path/approve', action: 'remediation.approve', summary: 'Approve a plan' },
      { method: 'POST', path: '*path/pause', action: 'remediation.pause', summary: 'Pause a running plan' },
      { method: 'POST', path: '*path/resume', action: 'remediation.resume', summary: 'Resume a paused plan' },
      { method: 'POST', path: '*path/start', action: 'remediation.start', summary: 'Start a plan' },
      { method: 'POST', path: '*path/cancel', action: 'remediation.cancel', summary: 'Cancel a plan' },
      { method: 'POST', path: '*path/rollback', action: 'remediation.rollback', summary: 'Roll a plan back' },
      { method: 'POST', path: '*path', action: 'remediation.plan', summary: 'Plan a remediation' },
    ],
  },
  {
    prefix: 'ledger',
    upstream: 'ledger',
    kind: 'ledger',
    endpoints: [
      ...reads('ledger.read', 'ledger checkpoints, entries and proofs'),
      {
        method: 'POST',
        path: 'evidence-packs',
        action: 'ledger.export',
        summary: 'Generate an evidence pack',
        // It holds the SBOMs and drift reports the caller may read from the drift service.
        delegatesTo: ['drift'],
      },
    ],
  },
  {
    prefix: 'recovery',
    upstream: 'recovery',
    kind: 'backup',
    endpoints: [
      ...reads('backup.read', 'backups, restores and drills'),
      { method: 'POST', path: '*path/restore', action: 'restore.start', summary: 'Restore a backup' },
      { method: 'POST', path: '*path/drills', action: 'drill.run', summary: 'Run a recovery drill' },
      { method: 'POST', path: '*path', action: 'backup.run', summary: 'Run a backup' },
    ],
  },
  {
    prefix: 'quantum',
    upstream: 'quantum',
    kind: 'optimisation',
    endpoints: [
      ...reads('optimisation.read', 'optimisation results'),
      { method: 'POST', path: '*path', action: 'optimisation.run', summary: 'Run an optimisation' },
    ],
  },
];
